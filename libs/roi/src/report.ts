import { DomainError, roundToCents, type FieldProblem } from '@dynaprice/kernel';
import { addCosts, costEntryProblems, costsInMonth, emptyCosts, entryAmount, roundCosts, appliesIn, type CostBreakdown, type CostEntry } from './costs';
import { isYearMonth, monthsBetween, quarterOf, type YearMonth } from './periods';
import { roiFigures, ROI_FLAG_BELOW_PERCENT } from './roi';
import { costPerThousandDecisions } from './unit-costs';

/** What one experiment (or the model in production) achieved in one calendar month. */
export interface MonthlyOutcome {
  month: YearMonth;
  /** Omit for model pricing outside any experiment. */
  experimentId?: string;
  /** Baseline metric of the month: control gross margin after waste. */
  baseline: number;
  /** Relative improvement of the month (treatment / control − 1). */
  relativeLift: number;
  /** From the measured population to the whole business (see `businessScale`), default 1. */
  scaleToBusiness?: number;
  /** Price decisions made in the month, for cost per 1,000 decisions. */
  decisions?: number;
}

export type ReportGrouping = 'month' | 'quarter' | 'experiment';

export interface RoiReportInput {
  outcomes: readonly MonthlyOutcome[];
  costEntries: readonly CostEntry[];
  groupBy: ReportGrouping;
  /** Months to report on (month / quarter grouping); default: the first to the last month with an outcome. */
  from?: YearMonth;
  to?: YearMonth;
  flagBelowPercent?: number;
}

export interface RoiReportRow {
  /** `YYYY-MM`, `YYYY-Qn`, or the experiment id. */
  period: string;
  grouping: ReportGrouping;
  /** First and last month counted in the row. */
  from: YearMonth;
  to: YearMonth;
  months: number;
  baseline: number;
  gain: number;
  cloudCost: number;
  developmentCost: number;
  operationsCost: number;
  totalCost: number;
  netGain: number;
  roiPercent: number | null;
  gainShareOfBaselinePercent: number | null;
  decisions: number;
  costPerThousandDecisions: number | null;
  flagged: boolean;
}

function inputProblems(input: RoiReportInput): FieldProblem[] {
  const problems: FieldProblem[] = costEntryProblems(input.costEntries);
  input.outcomes.forEach((outcome, i) => {
    const at = `outcomes[${i}]`;
    if (!isYearMonth(outcome.month)) problems.push({ field: `${at}.month`, message: 'must be YYYY-MM' });
    if (!Number.isFinite(outcome.baseline)) problems.push({ field: `${at}.baseline`, message: 'must be a finite number' });
    if (!Number.isFinite(outcome.relativeLift)) problems.push({ field: `${at}.relativeLift`, message: 'must be a finite number' });
    if (outcome.scaleToBusiness !== undefined && !(outcome.scaleToBusiness > 0 && Number.isFinite(outcome.scaleToBusiness))) problems.push({ field: `${at}.scaleToBusiness`, message: 'must be finite and > 0' });
    if (outcome.decisions !== undefined && !(outcome.decisions >= 0 && Number.isFinite(outcome.decisions))) problems.push({ field: `${at}.decisions`, message: 'must be a finite number ≥ 0' });
  });
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value !== undefined && !isYearMonth(value)) problems.push({ field, message: 'must be YYYY-MM' });
  }
  if (input.from && input.to && input.to < input.from) problems.push({ field: 'to', message: 'must not be before from' });
  if (input.groupBy === 'experiment' && input.outcomes.some((outcome) => outcome.experimentId === undefined)) {
    problems.push({ field: 'outcomes', message: 'every outcome needs an experimentId for a per-experiment report' });
  }
  return problems;
}

interface Accumulator {
  baseline: number;
  gain: number;
  costs: CostBreakdown;
  decisions: number;
  months: YearMonth[];
}

function accumulate(outcomes: readonly MonthlyOutcome[]): Pick<Accumulator, 'baseline' | 'gain' | 'decisions'> {
  let baseline = 0;
  let gain = 0;
  let decisions = 0;
  for (const outcome of outcomes) {
    const scale = outcome.scaleToBusiness ?? 1;
    baseline += outcome.baseline * scale;
    gain += outcome.relativeLift * outcome.baseline * scale;
    decisions += outcome.decisions ?? 0;
  }
  return { baseline, gain, decisions };
}

function toRow(period: string, grouping: ReportGrouping, totals: Accumulator, flagBelowPercent: number): RoiReportRow {
  const baseline = roundToCents(totals.baseline);
  const gain = roundToCents(totals.gain);
  const costs = roundCosts(totals.costs);
  const months = [...totals.months].sort();
  return {
    period,
    grouping,
    from: months[0] ?? '',
    to: months[months.length - 1] ?? '',
    months: months.length,
    baseline,
    gain,
    cloudCost: costs.cloud,
    developmentCost: costs.development,
    operationsCost: costs.operations,
    totalCost: costs.total,
    ...roiFigures(baseline, gain, costs.total, flagBelowPercent),
    decisions: totals.decisions,
    costPerThousandDecisions: costPerThousandDecisions(costs.total, totals.decisions),
  };
}

/**
 * ROI report rows per calendar month, per calendar quarter, or per experiment.
 *
 * - Month / quarter: every month from `from` to `to` (default: the span of the outcomes) is counted in
 *   its calendar period, with all cost entries that apply in it; a quarter only partly inside the span
 *   counts only its months inside it.
 * - Experiment: an experiment's gain comes from its outcomes; its cost is every entry tagged with its id
 *   (monthly entries up to its last month, one-off entries in full) plus, for each month it ran, an equal
 *   share of the untagged entries among the experiments running that month. Shared costs of months in
 *   which no experiment ran are not attributed.
 */
export function buildRoiReport(input: RoiReportInput): RoiReportRow[] {
  const problems = inputProblems(input);
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid ROI report input', problems);
  const flagBelowPercent = input.flagBelowPercent ?? ROI_FLAG_BELOW_PERCENT;
  return input.groupBy === 'experiment' ? byExperiment(input, flagBelowPercent) : byCalendar(input, input.groupBy, flagBelowPercent);
}

function byCalendar(input: RoiReportInput, grouping: 'month' | 'quarter', flagBelowPercent: number): RoiReportRow[] {
  const outcomeMonths = input.outcomes.map((outcome) => outcome.month).sort();
  const from = input.from ?? outcomeMonths[0];
  const to = input.to ?? outcomeMonths[outcomeMonths.length - 1];
  if (from === undefined || to === undefined) return [];
  const rows = new Map<string, Accumulator>();
  for (const month of monthsBetween(from, to)) {
    const period = grouping === 'month' ? month : quarterOf(month);
    const row = rows.get(period) ?? { baseline: 0, gain: 0, costs: emptyCosts(), decisions: 0, months: [] };
    const totals = accumulate(input.outcomes.filter((outcome) => outcome.month === month));
    row.baseline += totals.baseline;
    row.gain += totals.gain;
    row.decisions += totals.decisions;
    row.costs = addCosts(row.costs, costsInMonth(input.costEntries, month));
    row.months.push(month);
    rows.set(period, row);
  }
  return [...rows.entries()].map(([period, totals]) => toRow(period, grouping, totals, flagBelowPercent));
}

function scaled(costs: CostBreakdown, factor: number): CostBreakdown {
  return { cloud: costs.cloud * factor, development: costs.development * factor, operations: costs.operations * factor, total: costs.total * factor };
}

function byExperiment(input: RoiReportInput, flagBelowPercent: number): RoiReportRow[] {
  const experiments = [...new Set(input.outcomes.map((outcome) => outcome.experimentId as string))].sort();
  const runningIn = new Map<YearMonth, Set<string>>();
  for (const outcome of input.outcomes) {
    const running = runningIn.get(outcome.month) ?? new Set<string>();
    running.add(outcome.experimentId as string);
    runningIn.set(outcome.month, running);
  }
  const shared = input.costEntries.filter((entry) => entry.experimentId === undefined);
  return experiments.map((experimentId) => {
    const outcomes = input.outcomes.filter((outcome) => outcome.experimentId === experimentId);
    const months = [...new Set(outcomes.map((outcome) => outcome.month))].sort();
    const lastMonth = months[months.length - 1] as YearMonth;
    let costs = emptyCosts();
    for (const month of months) costs = addCosts(costs, scaled(costsInMonth(shared, month), 1 / (runningIn.get(month)?.size ?? 1)));
    for (const entry of input.costEntries.filter((candidate) => candidate.experimentId === experimentId)) {
      const entryMonths = entry.recurrence === 'one_off' ? [entry.effectiveFrom] : monthsBetween(entry.effectiveFrom, entry.effectiveTo ?? lastMonth).filter((month) => appliesIn(entry, month));
      const amount = entryAmount(entry) * entryMonths.length;
      costs = addCosts(costs, { ...emptyCosts(), [entry.category]: amount, total: amount });
    }
    return toRow(experimentId, 'experiment', { ...accumulate(outcomes), costs, months }, flagBelowPercent);
  });
}
