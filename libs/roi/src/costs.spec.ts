import { DomainError } from '@dynaprice/kernel';
import { costEntryProblems, costsInMonth, costsInMonths, type CostEntry } from './costs';
import { monthsOfQuarter } from './periods';

const cloud: CostEntry = { category: 'cloud', recurrence: 'monthly', amount: 5_000, effectiveFrom: '2026-01' };
const development: CostEntry = { category: 'development', recurrence: 'one_off', hours: 200, hourlyRate: 50, effectiveFrom: '2026-01' };
const operations: CostEntry = { category: 'operations', recurrence: 'monthly', amount: 800, effectiveFrom: '2026-02', effectiveTo: '2026-02' };

describe(costsInMonth.name, () => {
  it('applies monthly entries from their first month, one-off entries only in theirs', () => {
    expect(costsInMonth([cloud, development, operations], '2026-01')).toEqual({ cloud: 5_000, development: 10_000, operations: 0, total: 15_000 });
    expect(costsInMonth([cloud, development, operations], '2026-02')).toEqual({ cloud: 5_000, development: 0, operations: 800, total: 5_800 });
    expect(costsInMonth([cloud, development, operations], '2025-12').total).toBe(0);
  });
});

describe(costsInMonths.name, () => {
  it('sums the quarter of the case study: 3 × 5,000 cloud + 10,000 development', () => {
    expect(costsInMonths([cloud, development], monthsOfQuarter('2026-Q1'))).toEqual({ cloud: 15_000, development: 10_000, operations: 0, total: 25_000 });
  });

  it('stops a monthly entry after its end month', () => {
    expect(costsInMonths([operations], ['2026-01', '2026-02', '2026-03']).operations).toBe(800);
  });
});

describe(costEntryProblems.name, () => {
  it('accepts the case-study entries', () => {
    expect(costEntryProblems([cloud, development, operations])).toEqual([]);
  });

  it('names each problem with its index', () => {
    const problems = costEntryProblems([
      cloud,
      { category: 'cloud', recurrence: 'monthly', amount: 1, hours: 2, hourlyRate: 3, effectiveFrom: '2026-1' },
      { category: 'development', recurrence: 'one_off', amount: -5, effectiveFrom: '2026-02', effectiveTo: '2026-03' },
      { category: 'operations', recurrence: 'monthly', amount: 5, effectiveFrom: '2026-05', effectiveTo: '2026-04' },
    ]);
    expect(problems.map((problem) => problem.field)).toEqual([
      'costEntries[1].amount',
      'costEntries[1].effectiveFrom',
      'costEntries[2].amount',
      'costEntries[2].effectiveTo',
      'costEntries[3].effectiveTo',
    ]);
    expect(() => costsInMonths([{ ...cloud, amount: Number.NaN }], ['2026-01'])).toThrow(DomainError);
  });
});
