import { chiSquaredSf } from './distributions';

export interface SrmResult {
  observed: number[];
  expected: number[];
  chiSquared: number;
  degreesOfFreedom: number;
  pValue: number;
  /** The threshold the p-value is compared with (GrowthBook and Eppo use 0.001). */
  threshold: number;
  /** pValue < threshold: the split does not match the configured weights; assignment or logging is broken. */
  flagged: boolean;
}

export const SRM_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch check: Pearson's chi-squared goodness of fit of the observed unit counts per
 * variant against the configured weights (normalised to sum to 1), k − 1 degrees of freedom.
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  if (observed.length !== weights.length) throw new RangeError('observed counts and weights differ in length');
  if (observed.length < 2) throw new RangeError('a sample-ratio check needs at least two variants');
  if (observed.some((count) => !(count >= 0) || !Number.isFinite(count))) throw new RangeError('observed counts must be finite and ≥ 0');
  if (weights.some((weight) => !(weight > 0) || !Number.isFinite(weight))) throw new RangeError('weights must be finite and > 0');
  const total = observed.reduce((sum, count) => sum + count, 0);
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const expected = weights.map((weight) => (total * weight) / weightTotal);
  const degreesOfFreedom = observed.length - 1;
  if (total === 0) return { observed: [...observed], expected, chiSquared: 0, degreesOfFreedom, pValue: 1, threshold, flagged: false };
  const chiSquared = observed.reduce((sum, count, i) => {
    const e = expected[i] as number;
    return sum + ((count - e) * (count - e)) / e;
  }, 0);
  const pValue = chiSquaredSf(chiSquared, degreesOfFreedom);
  return { observed: [...observed], expected, chiSquared, degreesOfFreedom, pValue, threshold, flagged: pValue < threshold };
}
