import { DomainError } from '@dynaprice/kernel';
import { isYearQuarter, monthlyOutcomes } from './outcomes';
import { buildRoiReport } from './report';

describe(monthlyOutcomes.name, () => {
  it('keeps a month as it is', () => {
    expect(monthlyOutcomes({ period: '2026-02', baseline: 100, relativeLift: 0.1, experimentId: 'x' })).toEqual([{ month: '2026-02', baseline: 100, relativeLift: 0.1, experimentId: 'x' }]);
  });

  it('splits a quarter into three equal months, decisions in whole numbers', () => {
    const months = monthlyOutcomes({ period: '2026-Q1', baseline: 300, relativeLift: 0.12, decisions: 10 });
    expect(months).toEqual([
      { month: '2026-01', baseline: 100, relativeLift: 0.12, decisions: 4 },
      { month: '2026-02', baseline: 100, relativeLift: 0.12, decisions: 3 },
      { month: '2026-03', baseline: 100, relativeLift: 0.12, decisions: 3 },
    ]);
  });

  it("gives the book's case study its 48 % when the quarter is entered whole", () => {
    const [q1] = buildRoiReport({
      outcomes: monthlyOutcomes({ period: '2026-Q1', baseline: 308_333.33, relativeLift: 0.12 }),
      costEntries: [
        { category: 'cloud', recurrence: 'monthly', amount: 5_000, effectiveFrom: '2026-01', effectiveTo: '2026-03' },
        { category: 'development', recurrence: 'one_off', amount: 10_000, effectiveFrom: '2026-01' },
      ],
      groupBy: 'quarter',
    });
    expect([q1?.baseline, q1?.gain, q1?.totalCost, q1?.roiPercent]).toEqual([308_333.33, 37_000, 25_000, 48]);
  });

  it('refuses anything that is neither a month nor a quarter', () => {
    expect(() => monthlyOutcomes({ period: '2026-Q5', baseline: 1, relativeLift: 0 })).toThrow(DomainError);
    expect([isYearQuarter('2026-Q4'), isYearQuarter('2026-04')]).toEqual([true, false]);
  });
});
