import { DomainError } from '@dynaprice/kernel';
import { isYearMonth, monthsOfQuarter, type YearMonth, type YearQuarter } from './periods';
import type { MonthlyOutcome } from './report';

const QUARTER = /^\d{4}-Q[1-4]$/;

export function isYearQuarter(value: string): boolean {
  return QUARTER.test(value);
}

/** An outcome entered for a month (`YYYY-MM`) or a whole quarter (`YYYY-Qn`), e.g. one measured outside Dynaprice. */
export interface PeriodOutcome extends Omit<MonthlyOutcome, 'month'> {
  period: YearMonth | YearQuarter;
}

/**
 * The monthly outcomes of a period: a month as it is; a quarter as three equal months (baseline / 3
 * each, the same lift, decisions split in whole numbers with the remainder in the first months), so
 * that the quarter's totals — and its ROI — are exactly those entered.
 */
export function monthlyOutcomes(outcome: PeriodOutcome): MonthlyOutcome[] {
  const { period, ...rest } = outcome;
  if (isYearMonth(period)) return [{ ...rest, month: period }];
  if (!isYearQuarter(period)) throw DomainError.validation('period', `must be YYYY-MM or YYYY-Qn (got ${JSON.stringify(period)})`);
  const months = monthsOfQuarter(period);
  const decisions = rest.decisions;
  return months.map((month, i) => {
    const share: MonthlyOutcome = { ...rest, month, baseline: rest.baseline / 3 };
    if (decisions !== undefined) share.decisions = Math.floor(decisions / 3) + (i < decisions % 3 ? 1 : 0);
    return share;
  });
}
