import { DomainError } from '@dynaprice/kernel';
import { binCount, referenceShares, type ReferenceDistribution } from './reference';

/** Floor applied to every share before the PSI logarithm, so that an empty bin costs a finite amount. */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index, Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ), of two histograms over the same bins.
 * Both inputs are normalised to sum 1 (counts or shares are fine); then every share below `epsilon`
 * is raised to `epsilon` (not renormalised). Symmetric in its arguments, ≥ 0, and 0 for identical
 * histograms. NaN when either histogram is empty.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length) throw DomainError.validation('actual', `has ${actual.length} bins, expected ${expected.length}`);
  if (!(epsilon > 0 && epsilon < 1)) throw DomainError.validation('epsilon', 'must lie in (0, 1)');
  const totalE = sum(expected);
  const totalA = sum(actual);
  if (!(totalE > 0) || !(totalA > 0)) return Number.NaN;
  let value = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max((expected[i] as number) / totalE, epsilon);
    const a = Math.max((actual[i] as number) / totalA, epsilon);
    value += (a - e) * Math.log(a / e);
  }
  return value;
}

/**
 * Kolmogorov–Smirnov statistic between a numeric reference and live counts in its layout, from the
 * binned CDFs of the non-missing values: max over the edges of |F_ref(edge) − F_live(edge)|.
 * A lower bound of the statistic on the raw values. Null for a categorical reference (categories
 * have no order) or when the live window has no non-missing value.
 */
export function binnedKs(reference: ReferenceDistribution, liveCounts: ArrayLike<number>): number | null {
  if (reference.kind !== 'numeric') return null;
  const bins = reference.edges.length + 1;
  if (liveCounts.length !== bins + 1) throw DomainError.validation('liveCounts', `has ${liveCounts.length} bins, expected ${bins + 1}`);
  let present = 0;
  for (let i = 0; i < bins; i++) present += liveCounts[i] as number;
  if (present === 0) return null;
  const refTotal = reference.proportions.reduce((s, p) => s + p, 0);
  if (refTotal === 0) return null;
  let refCdf = 0;
  let liveCdf = 0;
  let d = 0;
  for (let i = 0; i < bins - 1; i++) {
    refCdf += (reference.proportions[i] as number) / refTotal;
    liveCdf += (liveCounts[i] as number) / present;
    d = Math.max(d, Math.abs(refCdf - liveCdf));
  }
  return d;
}

export type DriftStatus = 'ok' | 'warn' | 'drifted' | 'insufficient-data';

export interface DriftThresholds {
  /** PSI above this is drift. Default 0.2. */
  readonly psiDrift: number;
  /** PSI at or above this (up to psiDrift) is a warning. Default 0.1. */
  readonly psiWarn: number;
  /** Fewer live rows than this: 'insufficient-data' (PSI is noisy: about (bins − 1) / rows under no drift). Default 500. */
  readonly minRows: number;
  /** Default PSI_EPSILON. */
  readonly epsilon: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psiDrift: 0.2, psiWarn: 0.1, minRows: 500, epsilon: PSI_EPSILON };

export function resolveDriftThresholds(partial: Partial<DriftThresholds> = {}): DriftThresholds {
  const t = { ...DEFAULT_DRIFT_THRESHOLDS, ...partial };
  if (!(Number.isFinite(t.psiDrift) && t.psiDrift > 0)) throw DomainError.validation('thresholds.psiDrift', 'must be a finite number > 0');
  if (!(Number.isFinite(t.psiWarn) && t.psiWarn >= 0 && t.psiWarn <= t.psiDrift)) {
    throw DomainError.validation('thresholds.psiWarn', 'must lie in [0, psiDrift]');
  }
  if (!(Number.isInteger(t.minRows) && t.minRows >= 1)) throw DomainError.validation('thresholds.minRows', 'must be an integer ≥ 1');
  if (!(t.epsilon > 0 && t.epsilon < 1)) throw DomainError.validation('thresholds.epsilon', 'must lie in (0, 1)');
  return t;
}

/** Verdict of one PSI value: > psiDrift drifted, ≥ psiWarn warn, else ok; too few rows: insufficient-data. */
export function driftStatus(psiValue: number, liveRows: number, thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): DriftStatus {
  if (liveRows < thresholds.minRows || Number.isNaN(psiValue)) return 'insufficient-data';
  if (psiValue > thresholds.psiDrift) return 'drifted';
  if (psiValue >= thresholds.psiWarn) return 'warn';
  return 'ok';
}

export interface FeatureDrift {
  readonly feature: string;
  readonly kind: ReferenceDistribution['kind'];
  readonly status: DriftStatus;
  /** NaN when the live window is empty. */
  readonly psi: number;
  /** Binned KS (numeric features), else null. */
  readonly ks: number | null;
  readonly liveRows: number;
  /** Live share of missing values, next to the reference's. */
  readonly liveMissingShare: number;
  readonly referenceMissingShare: number;
}

export interface DriftReport {
  readonly status: DriftStatus;
  readonly features: readonly FeatureDrift[];
  /** Names of the drifted features (the retraining trigger). */
  readonly drifted: readonly string[];
  readonly warned: readonly string[];
  readonly thresholds: DriftThresholds;
}

/** Compares live counts (in the reference's layout) with the reference. */
export function featureDrift(
  feature: string,
  reference: ReferenceDistribution,
  liveCounts: ArrayLike<number>,
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): FeatureDrift {
  if (liveCounts.length !== binCount(reference)) throw DomainError.validation('liveCounts', `has ${liveCounts.length} bins, expected ${binCount(reference)}`);
  const liveRows = sum(liveCounts);
  const value = psi(referenceShares(reference), liveCounts, thresholds.epsilon);
  return {
    feature,
    kind: reference.kind,
    status: driftStatus(value, liveRows, thresholds),
    psi: value,
    ks: binnedKs(reference, liveCounts),
    liveRows,
    liveMissingShare: liveRows > 0 ? (liveCounts[liveCounts.length - 1] as number) / liveRows : Number.NaN,
    referenceMissingShare: reference.missingShare,
  };
}

/** Overall verdict: drifted if any feature drifted, else warn, else insufficient-data, else ok. */
export function driftReport(features: readonly FeatureDrift[], thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): DriftReport {
  const drifted = features.filter((f) => f.status === 'drifted').map((f) => f.feature);
  const warned = features.filter((f) => f.status === 'warn').map((f) => f.feature);
  const status: DriftStatus =
    drifted.length > 0 ? 'drifted' : warned.length > 0 ? 'warn' : features.length === 0 || features.some((f) => f.status === 'insufficient-data') ? 'insufficient-data' : 'ok';
  return { status, features, drifted, warned, thresholds };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}
