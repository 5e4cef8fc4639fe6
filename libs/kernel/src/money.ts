/** Rounds a currency amount to cents, half away from zero, without binary-float surprises (1.005 → 1.01). */
export function roundToCents(amount: number): number {
  const sign = amount < 0 ? -1 : 1;
  return (sign * Math.round(Math.abs(amount) * 100 + 1e-9)) / 100;
}

/** Rounds to a number of decimal places, for quantities and ratios kept in the database. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
