import type { SampleSummary } from './descriptive';
import { studentTQuantile, twoSidedTPValue } from './distributions';
import { welchDegreesOfFreedom } from './welch';

/** One randomisation unit's contribution to a ratio metric, e.g. Σ margin and Σ exposures of one store. */
export interface RatioUnit {
  numerator: number;
  denominator: number;
}

/** A per-variant metric estimate: the value, the variance of the estimator and the number of independent units behind it. */
export interface MetricEstimate {
  n: number;
  estimate: number;
  variance: number;
}

/** A plain mean as a metric estimate (variance of the mean = s² / n). */
export function meanEstimate(summary: SampleSummary): MetricEstimate {
  return { n: summary.n, estimate: summary.mean, variance: summary.n > 0 ? summary.variance / summary.n : 0 };
}

export interface RatioEstimate extends MetricEstimate {
  numeratorTotal: number;
  denominatorTotal: number;
}

/**
 * A ratio metric Σ numerator / Σ denominator over units (e.g. margin per exposure), with the delta-method
 * variance Var(R̂) ≈ (s²_y − 2R s_xy + R² s²_x) / (n x̄²) that accounts for units being the randomisation
 * unit (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics").
 */
export function ratioEstimate(units: readonly RatioUnit[]): RatioEstimate {
  const n = units.length;
  let numeratorTotal = 0;
  let denominatorTotal = 0;
  for (const unit of units) {
    numeratorTotal += unit.numerator;
    denominatorTotal += unit.denominator;
  }
  if (n === 0 || denominatorTotal === 0) throw new RangeError('a ratio metric needs units with a positive denominator total');
  const ratio = numeratorTotal / denominatorTotal;
  if (n < 2) return { n, estimate: ratio, variance: 0, numeratorTotal, denominatorTotal };
  const meanY = numeratorTotal / n;
  const meanX = denominatorTotal / n;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const unit of units) {
    const dy = unit.numerator - meanY;
    const dx = unit.denominator - meanX;
    syy += dy * dy;
    sxx += dx * dx;
    sxy += dx * dy;
  }
  const variance = Math.max(0, (syy - 2 * ratio * sxy + ratio * ratio * sxx) / (n - 1) / (n * meanX * meanX));
  return { n, estimate: ratio, variance, numeratorTotal, denominatorTotal };
}

export interface EffectEstimate {
  estimate: number;
  standardError: number;
  /** Two-sided confidence interval at 1 − alpha. */
  confidenceInterval: [lower: number, upper: number];
  /** Two-sided p-value against no effect. */
  pValue: number;
  degreesOfFreedom: number;
}

export interface Comparison {
  control: number;
  treatment: number;
  /** treatment − control. */
  absolute: EffectEstimate;
  /** treatment / control − 1, by the delta method; null when the control value is 0. */
  relative: EffectEstimate | null;
}

function effect(estimate: number, a: number, na: number, b: number, nb: number, alpha: number): EffectEstimate {
  const variance = a + b;
  const degreesOfFreedom = welchDegreesOfFreedom(a, na, b, nb);
  const standardError = Math.sqrt(variance);
  if (standardError === 0) {
    return { estimate, standardError, confidenceInterval: [estimate, estimate], pValue: estimate === 0 ? 1 : 0, degreesOfFreedom };
  }
  const margin = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * standardError;
  return {
    estimate,
    standardError,
    confidenceInterval: [estimate - margin, estimate + margin],
    pValue: twoSidedTPValue(estimate / standardError, degreesOfFreedom),
    degreesOfFreedom,
  };
}

/**
 * Absolute and relative difference of two independent estimates with t intervals (Welch–Satterthwaite
 * degrees of freedom). Relative lift L = T/C − 1 uses the delta method:
 * Var(L) ≈ Var(T)/C² + T² Var(C)/C⁴.
 */
export function compareEstimates(treatment: MetricEstimate, control: MetricEstimate, alpha = 0.05): Comparison {
  if (treatment.n < 2 || control.n < 2) throw new RangeError('each variant needs at least two units');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1) (got ${alpha})`);
  const t = treatment.estimate;
  const c = control.estimate;
  const absolute = effect(t - c, treatment.variance, treatment.n, control.variance, control.n, alpha);
  const relative =
    c === 0 ? null : effect(t / c - 1, treatment.variance / (c * c), treatment.n, (t * t * control.variance) / (c * c * c * c), control.n, alpha);
  return { control: c, treatment: t, absolute, relative };
}
