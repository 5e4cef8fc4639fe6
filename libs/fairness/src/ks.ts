import { DomainError } from '@dynaprice/kernel';

/** Two-sample Kolmogorov–Smirnov comparison of two samples. */
export interface KsResult {
  /** D = sup |F_a(x) − F_b(x)| over the pooled sample (ties handled: both CDFs step together). */
  readonly statistic: number;
  /**
   * Two-sided p-value from the asymptotic Kolmogorov distribution, P(K > √(n·m/(n+m)) · D).
   * Accurate for samples of a few hundred or more; slightly conservative or liberal below that.
   * NaN when a sample is empty.
   */
  readonly pValue: number;
  readonly countA: number;
  readonly countB: number;
}

/**
 * Survival function of the Kolmogorov distribution, Q(x) = P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}
 * (`scipy.special.kolmogorov`). For small x the dual series of the CDF,
 * √(2π)/x · Σ_{k≥1} e^{−(2k−1)²π²/(8x²)}, converges faster and is used instead.
 */
export function kolmogorovSurvival(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x < 1) {
    const factor = -(Math.PI * Math.PI) / (8 * x * x);
    let cdf = 0;
    for (let k = 1; k <= 20; k++) {
      const odd = 2 * k - 1;
      const term = Math.exp(factor * odd * odd);
      cdf += term;
      if (term < 1e-17 * cdf) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / x) * cdf));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * sum) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Two-sample KS statistic of two samples that are already sorted ascending (NaN-free).
 * O(n + m): one merge pass.
 */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const va = a[i] as number;
    const vb = b[j] as number;
    const x = va <= vb ? va : vb;
    while (i < n && (a[i] as number) === x) i++;
    while (j < m && (b[j] as number) === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  return d;
}

/** Two-sample KS test; the inputs are not modified. NaN values are refused. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  return ksFromSorted(sortedA, sortedB);
}

/** KS test of two sorted samples (see {@link ksTwoSample}). */
export function ksFromSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const statistic = ksStatisticSorted(a, b);
  const n = a.length;
  const m = b.length;
  const pValue = n === 0 || m === 0 ? Number.NaN : kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * statistic);
  return { statistic, pValue, countA: n, countB: m };
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  for (let i = 0; i < copy.length; i++) {
    if (Number.isNaN(copy[i] as number)) throw DomainError.validation(`values[${i}]`, 'is NaN');
  }
  return copy.sort();
}
