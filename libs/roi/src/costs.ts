import { DomainError, roundToCents, type FieldProblem } from '@dynaprice/kernel';
import { isYearMonth, type YearMonth } from './periods';

export type CostCategory = 'cloud' | 'development' | 'operations';
export const COST_CATEGORIES: readonly CostCategory[] = ['cloud', 'development', 'operations'];

/**
 * One stored, editable cost line. A monthly entry applies `amount` in every month from `effectiveFrom`
 * to `effectiveTo` (inclusive; open-ended without it); a one-off entry applies once, in `effectiveFrom`.
 * The amount is either given, or hours × hourly rate (development time).
 */
export interface CostEntry {
  id?: string;
  category: CostCategory;
  description?: string;
  recurrence: 'monthly' | 'one_off';
  amount?: number;
  hours?: number;
  hourlyRate?: number;
  effectiveFrom: YearMonth;
  effectiveTo?: YearMonth;
  /** Attributes the entry wholly to one experiment; without it the cost is shared. */
  experimentId?: string;
}

export interface CostBreakdown {
  cloud: number;
  development: number;
  operations: number;
  total: number;
}

export function emptyCosts(): CostBreakdown {
  return { cloud: 0, development: 0, operations: 0, total: 0 };
}

export function addCosts(a: CostBreakdown, b: CostBreakdown): CostBreakdown {
  return { cloud: a.cloud + b.cloud, development: a.development + b.development, operations: a.operations + b.operations, total: a.total + b.total };
}

export function roundCosts(costs: CostBreakdown): CostBreakdown {
  const cloud = roundToCents(costs.cloud);
  const development = roundToCents(costs.development);
  const operations = roundToCents(costs.operations);
  return { cloud, development, operations, total: roundToCents(cloud + development + operations) };
}

/** The amount an entry applies in each month it covers: `amount`, or hours × hourly rate. */
export function entryAmount(entry: CostEntry): number {
  if (entry.amount !== undefined) return entry.amount;
  return (entry.hours ?? 0) * (entry.hourlyRate ?? 0);
}

/** Problems with cost entries (empty when valid), with indexed field paths. */
export function costEntryProblems(entries: readonly CostEntry[], prefix = 'costEntries'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  entries.forEach((entry, i) => {
    const at = `${prefix}[${i}]`;
    const add = (field: string, message: string): void => {
      problems.push({ field: `${at}.${field}`, message });
    };
    if (!COST_CATEGORIES.includes(entry.category)) add('category', `must be one of ${COST_CATEGORIES.join(', ')}`);
    if (entry.recurrence !== 'monthly' && entry.recurrence !== 'one_off') add('recurrence', 'must be monthly or one_off');
    const byHours = entry.hours !== undefined || entry.hourlyRate !== undefined;
    if (entry.amount !== undefined && byHours) add('amount', 'give either amount or hours × hourlyRate, not both');
    if (entry.amount === undefined && !byHours) add('amount', 'is required (or hours and hourlyRate)');
    if (entry.amount !== undefined && (!Number.isFinite(entry.amount) || entry.amount < 0)) add('amount', 'must be a finite number ≥ 0');
    if (byHours) {
      if (entry.hours === undefined || !Number.isFinite(entry.hours) || entry.hours < 0) add('hours', 'must be a finite number ≥ 0');
      if (entry.hourlyRate === undefined || !Number.isFinite(entry.hourlyRate) || entry.hourlyRate < 0) add('hourlyRate', 'must be a finite number ≥ 0');
    }
    if (!isYearMonth(entry.effectiveFrom)) add('effectiveFrom', 'must be YYYY-MM');
    if (entry.effectiveTo !== undefined) {
      if (!isYearMonth(entry.effectiveTo)) add('effectiveTo', 'must be YYYY-MM');
      else if (entry.recurrence === 'one_off') add('effectiveTo', 'only monthly entries have an end month');
      else if (entry.effectiveTo < entry.effectiveFrom) add('effectiveTo', 'must not be before effectiveFrom');
    }
  });
  return problems;
}

export function assertCostEntries(entries: readonly CostEntry[], prefix = 'costEntries'): void {
  const problems = costEntryProblems(entries, prefix);
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid cost entries', problems);
}

/** Whether an entry applies in a month. */
export function appliesIn(entry: CostEntry, month: YearMonth): boolean {
  if (entry.recurrence === 'one_off') return entry.effectiveFrom === month;
  return entry.effectiveFrom <= month && (entry.effectiveTo === undefined || month <= entry.effectiveTo);
}

/** What a set of entries costs in one month, by category (unrounded). */
export function costsInMonth(entries: readonly CostEntry[], month: YearMonth): CostBreakdown {
  const costs = emptyCosts();
  for (const entry of entries) {
    if (!appliesIn(entry, month)) continue;
    const amount = entryAmount(entry);
    costs[entry.category] += amount;
    costs.total += amount;
  }
  return costs;
}

/** What a set of entries costs over some months, by category, rounded to cents. */
export function costsInMonths(entries: readonly CostEntry[], months: readonly YearMonth[]): CostBreakdown {
  assertCostEntries(entries);
  return roundCosts(months.reduce((sum, month) => addCosts(sum, costsInMonth(entries, month)), emptyCosts()));
}
