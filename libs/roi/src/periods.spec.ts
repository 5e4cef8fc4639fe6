import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { addMonths, monthOf, monthsBetween, monthsOfQuarter, parseYearMonth, quarterOf } from './periods';

describe(quarterOf.name, () => {
  it('maps months to calendar quarters', () => {
    expect(['2026-01', '2026-03', '2026-04', '2026-09', '2026-12'].map(quarterOf)).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });
});

describe(monthsOfQuarter.name, () => {
  it('lists the three months of a quarter, each of which maps back to it', () => {
    expect(monthsOfQuarter('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 4 }), (year, q) => monthsOfQuarter(`${year}-Q${q}`).every((month) => quarterOf(month) === `${year}-Q${q}`)));
  });
});

describe(monthsBetween.name, () => {
  it('includes both ends and crosses years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });
});

describe(addMonths.name, () => {
  it('moves forwards and backwards across year ends', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 13)).toBe('2027-01');
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -500, max: 500 }), (year, month, n) => {
      const start = `${year}-${String(month).padStart(2, '0')}`;
      return addMonths(addMonths(start, n), -n) === start;
    }));
  });
});

describe(monthOf.name, () => {
  it('takes the UTC calendar month of a date', () => {
    expect(monthOf('2026-03-31T23:30:00Z')).toBe('2026-03');
    expect(monthOf(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01');
  });
});

describe(parseYearMonth.name, () => {
  it('refuses anything but YYYY-MM, naming the field', () => {
    expect(() => parseYearMonth('2026-13', 'effectiveFrom')).toThrow(expect.objectContaining({ field: 'effectiveFrom' }));
    expect(() => parseYearMonth('2026-1')).toThrow(DomainError);
  });
});
