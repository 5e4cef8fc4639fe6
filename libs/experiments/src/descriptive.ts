/** Count, mean and sample variance (n − 1 denominator) of a sample: the sufficient statistics of the tests here. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance with the n − 1 denominator (0 when n < 2). */
  variance: number;
}

/** Summary of a sample in one pass (Welford), stable for large means and small spreads. */
export function summarize(values: readonly number[]): SampleSummary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const value of values) {
    n++;
    const delta = value - mean;
    mean += delta / n;
    m2 += delta * (value - mean);
  }
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : 0 };
}

export function mean(values: readonly number[]): number {
  return summarize(values).mean;
}

/** Sample covariance (n − 1 denominator) of two equally long samples. */
export function covariance(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`samples differ in length (${x.length} vs ${y.length})`);
  const n = x.length;
  if (n < 2) return 0;
  const mx = mean(x);
  const my = mean(y);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ((x[i] as number) - mx) * ((y[i] as number) - my);
  return sum / (n - 1);
}
