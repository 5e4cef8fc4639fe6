import { DomainError, roundTo, roundToCents, type FieldProblem } from '@dynaprice/kernel';
import { roundCosts, type CostBreakdown } from './costs';

/** ROI below this percentage is flagged (SPEC §9). */
export const ROI_FLAG_BELOW_PERCENT = 10;

/**
 * How the model improved the business:
 * - `relative`: a relative lift of the baseline metric (treatment / control − 1), e.g. 0.12;
 * - `per_unit`: a number of units (sold, or not wasted) times the revenue or cost saved per unit.
 */
export type Improvement = { kind: 'relative'; lift: number } | { kind: 'per_unit'; units: number; valuePerUnit: number };

/** Operational cost of the period: cloud per month × months, development (fixed, or hours × rate), operations per month. */
export interface OperationalCosts {
  months: number;
  cloudPerMonth?: number;
  developmentCost?: number;
  developmentHours?: number;
  hourlyRate?: number;
  operationsPerMonth?: number;
}

export interface RoiInput {
  /** The baseline business metric over the period: control gross margin (after waste). */
  baseline: number;
  improvement: Improvement;
  /**
   * From the measured population to the whole business, e.g. 1 / 0.7 when the baseline is the control
   * arm's margin and control had 70 % of the stores (see `businessScale`). Default 1.
   */
  scaleToBusiness?: number;
  costs: OperationalCosts;
  flagBelowPercent?: number;
}

export interface RoiResult {
  /** The baseline scaled to the whole business. */
  baseline: number;
  /** Model-driven improvement, scaled to the whole business. */
  gain: number;
  costs: CostBreakdown;
  /** gain − total cost. */
  netGain: number;
  /** (gain − cost) / cost × 100; null without cost. */
  roiPercent: number | null;
  /** gain / baseline × 100; null without a baseline. */
  gainShareOfBaselinePercent: number | null;
  flagBelowPercent: number;
  /** roiPercent < flagBelowPercent (or no cost figure to judge by). */
  flagged: boolean;
}

/** 1 / share of the business that the baseline was measured on (e.g. 1 / 0.7 for a 70 % control arm). */
export function businessScale(measuredShare: number): number {
  if (!(measuredShare > 0 && measuredShare <= 1)) throw DomainError.validation('measuredShare', 'must be in (0, 1]');
  return 1 / measuredShare;
}

function problemsOf(input: RoiInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const finite = (value: number | undefined, field: string, min = -Infinity): void => {
    if (value !== undefined && (!Number.isFinite(value) || value < min)) problems.push({ field, message: min === 0 ? 'must be a finite number ≥ 0' : 'must be a finite number' });
  };
  finite(input.baseline, 'baseline');
  if (input.improvement.kind === 'relative') finite(input.improvement.lift, 'improvement.lift');
  else {
    finite(input.improvement.units, 'improvement.units');
    finite(input.improvement.valuePerUnit, 'improvement.valuePerUnit');
  }
  if (input.scaleToBusiness !== undefined && !(input.scaleToBusiness > 0 && Number.isFinite(input.scaleToBusiness))) problems.push({ field: 'scaleToBusiness', message: 'must be finite and > 0' });
  const costs = input.costs;
  finite(costs.months, 'costs.months', 0);
  finite(costs.cloudPerMonth, 'costs.cloudPerMonth', 0);
  finite(costs.developmentCost, 'costs.developmentCost', 0);
  finite(costs.developmentHours, 'costs.developmentHours', 0);
  finite(costs.hourlyRate, 'costs.hourlyRate', 0);
  finite(costs.operationsPerMonth, 'costs.operationsPerMonth', 0);
  if ((costs.developmentHours === undefined) !== (costs.hourlyRate === undefined)) problems.push({ field: 'costs.hourlyRate', message: 'developmentHours and hourlyRate go together' });
  return problems;
}

/** ROI on cost and share of baseline from a gain and a cost (both already rounded to cents). */
export function roiFigures(baseline: number, gain: number, totalCost: number, flagBelowPercent = ROI_FLAG_BELOW_PERCENT): Pick<RoiResult, 'netGain' | 'roiPercent' | 'gainShareOfBaselinePercent' | 'flagged'> {
  const netGain = roundToCents(gain - totalCost);
  const roiPercent = totalCost > 0 ? roundTo((netGain / totalCost) * 100, 2) : null;
  const gainShareOfBaselinePercent = baseline !== 0 ? roundTo((gain / baseline) * 100, 2) : null;
  return { netGain, roiPercent, gainShareOfBaselinePercent, flagged: roiPercent === null || roiPercent < flagBelowPercent };
}

/**
 * The book's ROI method: baseline business metric, model-driven improvement scaled to the whole business,
 * minus the total operational cost, as ROI on cost, ROI = (gain − cost) / cost, and as a share of the
 * baseline. Money is rounded to cents before the ratios, as a finance report would show it.
 */
export function computeRoi(input: RoiInput): RoiResult {
  const problems = problemsOf(input);
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid ROI input', problems);
  const scale = input.scaleToBusiness ?? 1;
  const baseline = roundToCents(input.baseline * scale);
  const rawGain = input.improvement.kind === 'relative' ? input.improvement.lift * input.baseline * scale : input.improvement.units * input.improvement.valuePerUnit * scale;
  const gain = roundToCents(rawGain);
  const c = input.costs;
  const costs = roundCosts({
    cloud: (c.cloudPerMonth ?? 0) * c.months,
    development: (c.developmentCost ?? 0) + (c.developmentHours ?? 0) * (c.hourlyRate ?? 0),
    operations: (c.operationsPerMonth ?? 0) * c.months,
    total: 0,
  });
  const flagBelowPercent = input.flagBelowPercent ?? ROI_FLAG_BELOW_PERCENT;
  return { baseline, gain, costs, ...roiFigures(baseline, gain, costs.total, flagBelowPercent), flagBelowPercent };
}
