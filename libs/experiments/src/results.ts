import { DomainError, roundToCents, type FieldProblem } from '@dynaprice/kernel';
import type { VariantDefinition } from './assignment';
import { cupedRatioEstimates, type CupedUnit } from './cuped';
import { studentTQuantile } from './distributions';
import { guardrailCheck, type MetricDirection } from './guardrail';
import { holmAdjust } from './holm';
import { compareEstimates, ratioEstimate, type Comparison, type EffectEstimate, type MetricEstimate, type RatioUnit } from './ratio';
import { initialSequentialState, updateSequentialTest, type SequentialState } from './sequential';
import { sampleRatioMismatch, SRM_THRESHOLD, type SrmResult } from './srm';

/** Aggregates of one assignment unit (a store, a store×SKU or a customer) over the experiment so far. */
export interface UnitAggregate {
  unitId: string;
  variant: string;
  /** Exposure units: priced SKU-store-days (or sessions) the unit was exposed to its variant's prices. */
  exposures: number;
  /** Units sold. */
  units: number;
  revenue: number;
  costOfGoods: number;
  /** Cost of goods written off (expired, net of salvage). */
  wasteCost: number;
  /** Gross margin after waste of the same unit over a pre-experiment period of the same length: the CUPED covariate. */
  preMargin?: number;
  /**
   * Exposures of the unit in that pre-period. When every unit has them, CUPED uses the pre-period margin
   * per exposure (linearised), which predicts a ratio metric far better than the raw pre-period margin.
   */
  preExposures?: number;
}

/** One variant's totals for one day, for the time series. */
export interface DailyAggregate {
  /** `YYYY-MM-DD`. */
  date: string;
  variant: string;
  exposures: number;
  units: number;
  revenue: number;
  costOfGoods: number;
  wasteCost: number;
}

/** Ratio metrics of the report, all per exposure except the waste rate (waste cost / (cost of goods + waste cost)). */
export type ResultMetric = 'marginPerExposure' | 'unitsPerExposure' | 'revenuePerExposure' | 'wastePerExposure' | 'wasteRate';

export const PRIMARY_METRIC = 'marginPerExposure' satisfies ResultMetric;
export const SECONDARY_METRICS = ['unitsPerExposure', 'revenuePerExposure', 'wastePerExposure'] as const satisfies readonly ResultMetric[];
export const RESULT_METRICS: readonly ResultMetric[] = ['marginPerExposure', 'unitsPerExposure', 'revenuePerExposure', 'wastePerExposure', 'wasteRate'];

/** The direction in which each metric improves. */
export const METRIC_DIRECTIONS: Readonly<Record<ResultMetric, MetricDirection>> = {
  marginPerExposure: 'higher_is_better',
  unitsPerExposure: 'higher_is_better',
  revenuePerExposure: 'higher_is_better',
  wastePerExposure: 'lower_is_better',
  wasteRate: 'lower_is_better',
};

export interface GuardrailDefinition {
  metric: ResultMetric;
  /** Tolerated relative regression before fallback, e.g. 0.02 = 2 % worse. */
  tolerance: number;
  /** Defaults to the metric's natural direction. */
  direction?: MetricDirection;
  /**
   * τ of this guardrail's mSPRT mixture on the relative-lift scale: the size of regression the check is
   * tuned to catch (default `sequentialMixingEffect`). A guardrail watches for harm far larger than the
   * primary lift, and a τ near the regression it should catch gives the check its power on few units.
   * Fixed at the guardrail's first look and kept in its state.
   */
  mixingEffect?: number;
}

export interface ResultsInput {
  experimentId: string;
  controlVariant: string;
  /** The experiment's variants and weights (the weights are the SRM expectation). */
  variants: readonly VariantDefinition[];
  units: readonly UnitAggregate[];
  daily?: readonly DailyAggregate[];
  /** Significance level, default 0.05. */
  alpha?: number;
  /** SRM p-value threshold, default 0.001. */
  srmThreshold?: number;
  /**
   * Relative effect size used as the standard deviation τ of the mSPRT mixing distribution on the
   * relative-lift scale, default 0.05 (a 5 % lift). Fixed at a variant's first look and kept in its state.
   */
  sequentialMixingEffect?: number;
  /** `sequentialStates` of the previous run, to continue the always-valid tests (keys as in the output). */
  previousSequential?: Readonly<Record<string, SequentialState>>;
  guardrails?: readonly GuardrailDefinition[];
}

export interface VariantTotals {
  variant: string;
  weight: number;
  unitCount: number;
  /** Share of all units, to set against `weight`. */
  observedShare: number;
  exposures: number;
  units: number;
  revenue: number;
  costOfGoods: number;
  wasteCost: number;
  /** revenue − cost of goods − waste cost. */
  grossMargin: number;
  /** grossMargin / exposures; null without exposures. */
  marginPerExposure: number | null;
  /** Delta-method confidence interval of marginPerExposure at 1 − alpha; null with fewer than two units. */
  marginPerExposureInterval: [lower: number, upper: number] | null;
}

export interface MetricComparison {
  metric: ResultMetric;
  control: number;
  treatment: number;
  absoluteDifference: EffectEstimate;
  /** treatment / control − 1 (null when control is 0). */
  relativeLift: EffectEstimate | null;
}

export interface CupedComparison extends MetricComparison {
  theta: number;
  /** 1 − Var(lift, CUPED) / Var(lift, plain): the share of variance removed by the pre-period covariate. */
  varianceReduction: number;
}

export interface SecondaryComparison extends MetricComparison {
  /** Holm-adjusted p-value of the relative lift (of the absolute difference when there is no relative lift), across all secondary tests of the report. */
  adjustedPValue: number;
  significant: boolean;
}

export interface SequentialSummary {
  /** Which estimate the test follows: the CUPED-adjusted relative lift when every unit has a pre-period margin, else the plain one. */
  basis: 'cuped' | 'plain';
  state: SequentialState;
}

export interface GuardrailOutcome {
  metric: ResultMetric;
  direction: MetricDirection;
  tolerance: number;
  breached: boolean;
  reason: string | null;
  state: SequentialState;
}

export interface VariantComparison {
  variant: string;
  /** Null when either arm has fewer than two units or no exposures (see warnings). */
  primary: {
    metric: typeof PRIMARY_METRIC;
    plain: MetricComparison;
    cuped: CupedComparison | null;
    sequential: SequentialSummary;
  } | null;
  secondary: SecondaryComparison[];
  guardrails: GuardrailOutcome[];
  /** True when any guardrail is breached: the treatment should fall back to legacy pricing. */
  fallbackRecommended: boolean;
}

export interface DailyPoint {
  date: string;
  variant: string;
  exposures: number;
  units: number;
  revenue: number;
  grossMargin: number;
  wasteCost: number;
  marginPerExposure: number | null;
  cumulativeMarginPerExposure: number | null;
}

/** What `/v1/experiments/:id/results` returns. Only finite numbers, strings, booleans and nulls. */
export interface ExperimentResults {
  experimentId: string;
  controlVariant: string;
  alpha: number;
  variants: VariantTotals[];
  srm: SrmResult & { variants: string[] };
  comparisons: VariantComparison[];
  /** Store these and pass them back as `previousSequential` on the next run. Keys: `variant` (primary) and `variant:metric` (guardrails). */
  sequentialStates: Record<string, SequentialState>;
  daily: DailyPoint[];
  warnings: string[];
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function margin(row: { revenue: number; costOfGoods: number; wasteCost: number }): number {
  return row.revenue - row.costOfGoods - row.wasteCost;
}

function metricUnit(metric: ResultMetric, row: UnitAggregate): RatioUnit {
  switch (metric) {
    case 'marginPerExposure':
      return { numerator: margin(row), denominator: row.exposures };
    case 'unitsPerExposure':
      return { numerator: row.units, denominator: row.exposures };
    case 'revenuePerExposure':
      return { numerator: row.revenue, denominator: row.exposures };
    case 'wastePerExposure':
      return { numerator: row.wasteCost, denominator: row.exposures };
    case 'wasteRate':
      return { numerator: row.wasteCost, denominator: row.costOfGoods + row.wasteCost };
  }
}

/** Input problems with field paths (`units[3].exposures`); empty when the input is usable. */
export function resultsInputProblems(input: ResultsInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  if (input.experimentId.length === 0) add('experimentId', 'must not be empty');
  const keys = new Set(input.variants.map((variant) => variant.key));
  if (input.variants.length < 2) add('variants', 'needs at least two variants');
  if (keys.size !== input.variants.length) add('variants', 'variant keys must be unique');
  input.variants.forEach((variant, i) => {
    if (!(variant.weight > 0 && variant.weight <= 1)) add(`variants[${i}].weight`, 'must be in (0, 1]');
  });
  if (!keys.has(input.controlVariant)) add('controlVariant', 'must be one of the variants');
  const alpha = input.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) add('alpha', 'must be in (0, 0.5)');
  const srm = input.srmThreshold ?? SRM_THRESHOLD;
  if (!(srm > 0 && srm < 1)) add('srmThreshold', 'must be in (0, 1)');
  const tau = input.sequentialMixingEffect ?? 0.05;
  if (!(tau > 0) || !Number.isFinite(tau)) add('sequentialMixingEffect', 'must be finite and > 0');
  const firstRow = new Map<string, number>();
  input.units.forEach((row, i) => {
    const at = `units[${i}]`;
    if (row.unitId.length === 0) add(`${at}.unitId`, 'must not be empty');
    const first = firstRow.get(row.unitId);
    if (first !== undefined) add(`${at}.unitId`, `duplicates units[${first}] (${row.unitId}): aggregate each unit once, under the variant it was assigned`);
    else firstRow.set(row.unitId, i);
    if (!keys.has(row.variant)) add(`${at}.variant`, `unknown variant ${JSON.stringify(row.variant)}`);
    for (const field of ['exposures', 'units', 'revenue', 'costOfGoods', 'wasteCost'] as const) {
      const value = row[field];
      if (!Number.isFinite(value) || value < 0) add(`${at}.${field}`, 'must be a finite number ≥ 0');
    }
    if (row.preMargin !== undefined && !Number.isFinite(row.preMargin)) add(`${at}.preMargin`, 'must be a finite number');
    if (row.preExposures !== undefined && (!Number.isFinite(row.preExposures) || row.preExposures < 0)) add(`${at}.preExposures`, 'must be a finite number ≥ 0');
  });
  (input.daily ?? []).forEach((row, i) => {
    const at = `daily[${i}]`;
    if (!DATE.test(row.date)) add(`${at}.date`, 'must be YYYY-MM-DD');
    if (!keys.has(row.variant)) add(`${at}.variant`, `unknown variant ${JSON.stringify(row.variant)}`);
    for (const field of ['exposures', 'units', 'revenue', 'costOfGoods', 'wasteCost'] as const) {
      const value = row[field];
      if (!Number.isFinite(value) || value < 0) add(`${at}.${field}`, 'must be a finite number ≥ 0');
    }
  });
  (input.guardrails ?? []).forEach((guardrail, i) => {
    if (!RESULT_METRICS.includes(guardrail.metric)) add(`guardrails[${i}].metric`, `must be one of ${RESULT_METRICS.join(', ')}`);
    if (!(guardrail.tolerance >= 0) || !Number.isFinite(guardrail.tolerance)) add(`guardrails[${i}].tolerance`, 'must be a finite number ≥ 0');
    if (guardrail.mixingEffect !== undefined && !(guardrail.mixingEffect > 0 && Number.isFinite(guardrail.mixingEffect))) add(`guardrails[${i}].mixingEffect`, 'must be finite and > 0');
  });
  return problems;
}

function toMetricComparison(metric: ResultMetric, comparison: Comparison): MetricComparison {
  return { metric, control: comparison.control, treatment: comparison.treatment, absoluteDifference: comparison.absolute, relativeLift: comparison.relative };
}

function tryRatio(units: readonly RatioUnit[]): MetricEstimate | null {
  const denominator = units.reduce((sum, unit) => sum + unit.denominator, 0);
  return units.length >= 2 && denominator > 0 ? ratioEstimate(units) : null;
}

/** The effect the sequential tests follow: the relative lift and its delta-method variance. */
function relativeLook(comparison: Comparison): { estimate: number; variance: number } | null {
  const relative = comparison.relative;
  if (!relative || !(relative.standardError > 0)) return null;
  return { estimate: relative.estimate, variance: relative.standardError * relative.standardError };
}

/**
 * Builds the results of an experiment from per-unit aggregates: per-variant totals, margin per exposure
 * with its interval, lift (plain and CUPED), the always-valid sequential test, SRM, Holm-adjusted secondary
 * metrics, guardrails and the daily series. Throws a VALIDATION_FAILED DomainError naming every bad field.
 */
export function buildExperimentResults(input: ResultsInput): ExperimentResults {
  const problems = resultsInputProblems(input);
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid experiment results input', problems);
  const alpha = input.alpha ?? 0.05;
  const mixingVariance = (input.sequentialMixingEffect ?? 0.05) ** 2;
  const warnings: string[] = [];
  const byVariant = new Map<string, UnitAggregate[]>(input.variants.map((variant) => [variant.key, []]));
  for (const row of input.units) byVariant.get(row.variant)?.push(row);
  const rowsOf = (key: string): UnitAggregate[] => byVariant.get(key) ?? [];
  const totalUnits = input.units.length;

  const variants: VariantTotals[] = input.variants.map((variant) => {
    const rows = rowsOf(variant.key);
    const sum = (pick: (row: UnitAggregate) => number): number => rows.reduce((total, row) => total + pick(row), 0);
    const exposures = sum((row) => row.exposures);
    const grossMargin = sum(margin);
    const estimate = tryRatio(rows.map((row) => metricUnit(PRIMARY_METRIC, row)));
    let interval: [number, number] | null = null;
    if (estimate) {
      const half = studentTQuantile(1 - alpha / 2, estimate.n - 1) * Math.sqrt(estimate.variance);
      interval = [estimate.estimate - half, estimate.estimate + half];
    }
    return {
      variant: variant.key,
      weight: variant.weight,
      unitCount: rows.length,
      observedShare: totalUnits > 0 ? rows.length / totalUnits : 0,
      exposures,
      units: sum((row) => row.units),
      revenue: roundToCents(sum((row) => row.revenue)),
      costOfGoods: roundToCents(sum((row) => row.costOfGoods)),
      wasteCost: roundToCents(sum((row) => row.wasteCost)),
      grossMargin: roundToCents(grossMargin),
      marginPerExposure: exposures > 0 ? grossMargin / exposures : null,
      marginPerExposureInterval: interval,
    };
  });

  const srmResult = sampleRatioMismatch(
    variants.map((variant) => variant.unitCount),
    input.variants.map((variant) => variant.weight),
    input.srmThreshold ?? SRM_THRESHOLD,
  );
  const srm = { ...srmResult, variants: input.variants.map((variant) => variant.key) };
  if (srm.flagged) {
    warnings.push(
      `sample ratio mismatch: units split ${variants.map((v) => `${v.variant} ${v.unitCount}`).join(' / ')} against weights ${input.variants.map((v) => v.weight).join(' / ')} (p = ${srm.pValue.toExponential(2)} < ${srm.threshold}); results are not trustworthy until assignment is fixed`,
    );
  }

  const controlRows = rowsOf(input.controlVariant);
  const sequentialStates: Record<string, SequentialState> = {};
  const pending: { comparison: VariantComparison; result: MetricComparison }[] = [];
  const comparisons: VariantComparison[] = [];
  const withCovariate = (rows: UnitAggregate[]): boolean => rows.every((row) => row.preMargin !== undefined);

  for (const variant of input.variants) {
    if (variant.key === input.controlVariant) continue;
    const treatmentRows = rowsOf(variant.key);
    const comparison: VariantComparison = { variant: variant.key, primary: null, secondary: [], guardrails: [], fallbackRecommended: false };
    comparisons.push(comparison);
    const estimates = (metric: ResultMetric): [MetricEstimate, MetricEstimate] | null => {
      const t = tryRatio(treatmentRows.map((row) => metricUnit(metric, row)));
      const c = tryRatio(controlRows.map((row) => metricUnit(metric, row)));
      return t && c ? [t, c] : null;
    };
    const primaryPair = estimates(PRIMARY_METRIC);
    if (!primaryPair) {
      warnings.push(`${variant.key} vs ${input.controlVariant}: each arm needs at least two units with exposures; no comparison yet`);
      continue;
    }
    const plain = compareEstimates(primaryPair[0], primaryPair[1], alpha);
    let cuped: CupedComparison | null = null;
    let sequentialBasis: Comparison = plain;
    if (withCovariate(treatmentRows) && withCovariate(controlRows)) {
      const toCuped = (row: UnitAggregate): CupedUnit => ({ ...metricUnit(PRIMARY_METRIC, row), covariate: row.preMargin ?? 0, covariateDenominator: row.preExposures });
      const result = cupedRatioEstimates([treatmentRows.map(toCuped), controlRows.map(toCuped)]);
      const [t, c] = result.adjusted as [MetricEstimate, MetricEstimate];
      const adjusted = compareEstimates(t, c, alpha);
      const plainSe = plain.relative?.standardError ?? plain.absolute.standardError;
      const cupedSe = adjusted.relative?.standardError ?? adjusted.absolute.standardError;
      cuped = {
        ...toMetricComparison(PRIMARY_METRIC, adjusted),
        theta: result.theta,
        varianceReduction: plainSe > 0 ? 1 - (cupedSe * cupedSe) / (plainSe * plainSe) : 0,
      };
      sequentialBasis = adjusted;
    } else {
      warnings.push(`${variant.key} vs ${input.controlVariant}: CUPED skipped, some units have no preMargin`);
    }
    const basis: SequentialSummary['basis'] = cuped ? 'cuped' : 'plain';
    let state = input.previousSequential?.[variant.key] ?? initialSequentialState({ alpha, mixingVariance });
    const look = relativeLook(sequentialBasis);
    if (look) state = updateSequentialTest(state, look);
    sequentialStates[variant.key] = state;
    comparison.primary = { metric: PRIMARY_METRIC, plain: toMetricComparison(PRIMARY_METRIC, plain), cuped, sequential: { basis, state } };

    for (const metric of SECONDARY_METRICS) {
      const pair = estimates(metric);
      if (pair) pending.push({ comparison, result: toMetricComparison(metric, compareEstimates(pair[0], pair[1], alpha)) });
    }

    for (const guardrail of input.guardrails ?? []) {
      const key = `${variant.key}:${guardrail.metric}`;
      const direction = guardrail.direction ?? METRIC_DIRECTIONS[guardrail.metric];
      const pair = estimates(guardrail.metric);
      const guardMixingVariance = guardrail.mixingEffect === undefined ? mixingVariance : guardrail.mixingEffect ** 2;
      const previous = input.previousSequential?.[key] ?? initialSequentialState({ alpha, mixingVariance: guardMixingVariance });
      const guardLook = pair ? relativeLook(compareEstimates(pair[0], pair[1], alpha)) : null;
      const outcome = guardLook
        ? guardrailCheck({ look: guardLook, direction, tolerance: guardrail.tolerance, state: previous, options: { alpha, mixingVariance: guardMixingVariance } })
        : { breached: false, reason: null, state: previous };
      sequentialStates[key] = outcome.state;
      comparison.guardrails.push({ metric: guardrail.metric, direction, tolerance: guardrail.tolerance, ...outcome });
    }
    comparison.fallbackRecommended = comparison.guardrails.some((guardrail) => guardrail.breached);
  }

  const adjusted = holmAdjust(pending.map(({ result }) => (result.relativeLift ?? result.absoluteDifference).pValue));
  pending.forEach(({ comparison, result }, i) => {
    const adjustedPValue = adjusted[i] as number;
    comparison.secondary.push({ ...result, adjustedPValue, significant: adjustedPValue < alpha });
  });

  return {
    experimentId: input.experimentId,
    controlVariant: input.controlVariant,
    alpha,
    variants,
    srm,
    comparisons,
    sequentialStates,
    daily: dailySeries(input.daily ?? []),
    warnings,
  };
}

function dailySeries(rows: readonly DailyAggregate[]): DailyPoint[] {
  const merged = new Map<string, DailyAggregate>();
  for (const row of rows) {
    const key = `${row.date}\u0000${row.variant}`;
    const seen = merged.get(key);
    merged.set(
      key,
      seen
        ? {
            ...seen,
            exposures: seen.exposures + row.exposures,
            units: seen.units + row.units,
            revenue: seen.revenue + row.revenue,
            costOfGoods: seen.costOfGoods + row.costOfGoods,
            wasteCost: seen.wasteCost + row.wasteCost,
          }
        : { ...row },
    );
  }
  const sorted = [...merged.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0));
  const cumulative = new Map<string, { margin: number; exposures: number }>();
  return sorted.map((row) => {
    const dayMargin = margin(row);
    const running = cumulative.get(row.variant) ?? { margin: 0, exposures: 0 };
    running.margin += dayMargin;
    running.exposures += row.exposures;
    cumulative.set(row.variant, running);
    return {
      date: row.date,
      variant: row.variant,
      exposures: row.exposures,
      units: row.units,
      revenue: roundToCents(row.revenue),
      grossMargin: roundToCents(dayMargin),
      wasteCost: roundToCents(row.wasteCost),
      marginPerExposure: row.exposures > 0 ? dayMargin / row.exposures : null,
      cumulativeMarginPerExposure: running.exposures > 0 ? running.margin / running.exposures : null,
    };
  });
}
