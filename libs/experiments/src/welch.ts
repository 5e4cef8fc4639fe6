import type { SampleSummary } from './descriptive';
import { studentTQuantile, twoSidedTPValue } from './distributions';

export interface WelchResult {
  /** Treatment mean − control mean. */
  difference: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  degreesOfFreedom: number;
  t: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Confidence interval for the difference at 1 − alpha. */
  confidenceInterval: [lower: number, upper: number];
}

/**
 * Welch's unequal-variance t-test and confidence interval for the difference of two means
 * (the same statistic, degrees of freedom and interval as SciPy's `ttest_ind(a, b, equal_var=False)`).
 */
export function welchTest(treatment: SampleSummary, control: SampleSummary, alpha = 0.05): WelchResult {
  if (treatment.n < 2 || control.n < 2) throw new RangeError('each sample needs at least two observations');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1) (got ${alpha})`);
  const vt = treatment.variance / treatment.n;
  const vc = control.variance / control.n;
  const difference = treatment.mean - control.mean;
  const standardError = Math.sqrt(vt + vc);
  const degreesOfFreedom = welchDegreesOfFreedom(vt, treatment.n, vc, control.n);
  if (standardError === 0) {
    return { difference, standardError, degreesOfFreedom, t: difference === 0 ? 0 : Math.sign(difference) * Infinity, pValue: difference === 0 ? 1 : 0, confidenceInterval: [difference, difference] };
  }
  const t = difference / standardError;
  const margin = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * standardError;
  return { difference, standardError, degreesOfFreedom, t, pValue: twoSidedTPValue(t, degreesOfFreedom), confidenceInterval: [difference - margin, difference + margin] };
}

/**
 * Welch–Satterthwaite degrees of freedom for a sum of two independent variance components
 * `a` (from `na` observations) and `b` (from `nb`). Falls back to na + nb − 2 when both are 0.
 */
export function welchDegreesOfFreedom(a: number, na: number, b: number, nb: number): number {
  const denominator = (a * a) / (na - 1) + (b * b) / (nb - 1);
  if (denominator === 0) return na + nb - 2;
  return ((a + b) * (a + b)) / denominator;
}
