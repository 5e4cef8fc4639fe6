import { DomainError } from '@dynaprice/kernel';

/** A calendar month, `YYYY-MM`. */
export type YearMonth = string;
/** A calendar quarter, `YYYY-Qn`. */
export type YearQuarter = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isYearMonth(value: string): boolean {
  return MONTH.test(value);
}

/** Year and month (1–12) of a `YYYY-MM`; throws a VALIDATION_FAILED DomainError naming `field` otherwise. */
export function parseYearMonth(value: string, field = 'month'): { year: number; month: number } {
  const match = MONTH.exec(value);
  if (!match) throw DomainError.validation(field, `must be a calendar month YYYY-MM (got ${JSON.stringify(value)})`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatYearMonth(year: number, month: number): YearMonth {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The calendar month (UTC) of a date or an ISO date string. */
export function monthOf(date: Date | string): YearMonth {
  const at = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(at.getTime())) throw DomainError.validation('date', `is not a date (${String(date)})`);
  return formatYearMonth(at.getUTCFullYear(), at.getUTCMonth() + 1);
}

export function addMonths(month: YearMonth, count: number): YearMonth {
  const { year, month: m } = parseYearMonth(month);
  const index = year * 12 + (m - 1) + count;
  return formatYearMonth(Math.floor(index / 12), (index % 12) + 1);
}

/** Months from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  parseYearMonth(from, 'from');
  parseYearMonth(to, 'to');
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

export function quarterOf(month: YearMonth): YearQuarter {
  const { year, month: m } = parseYearMonth(month);
  return `${year}-Q${Math.ceil(m / 3)}`;
}

export function monthsOfQuarter(quarter: YearQuarter): YearMonth[] {
  const match = QUARTER.exec(quarter);
  if (!match) throw DomainError.validation('quarter', `must be YYYY-Qn (got ${JSON.stringify(quarter)})`);
  const first = (Number(match[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((offset) => formatYearMonth(Number(match[1]), first + offset));
}
