/**
 * Holm–Bonferroni step-down adjusted p-values, in input order (R's `p.adjust(p, method = "holm")`):
 * with p₍₁₎ ≤ … ≤ p₍ₘ₎, adj₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎). Controls the family-wise error
 * rate at alpha when every adjusted p-value is compared with alpha.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1] (got ${p})`);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
