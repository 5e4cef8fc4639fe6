import { DomainError } from '@dynaprice/kernel';
import type { CostEntry } from './costs';
import { buildRoiReport, type MonthlyOutcome } from './report';

// The case-study quarter, month by month: baselines summing to $308,333.33, a 12 % lift, cloud $5,000 per
// month from January and $10,000 of development in January.
const quarter: MonthlyOutcome[] = [
  { month: '2026-01', experimentId: 'exp-a', baseline: 102_777.77, relativeLift: 0.12, decisions: 15_000_000 },
  { month: '2026-02', experimentId: 'exp-a', baseline: 102_777.78, relativeLift: 0.12, decisions: 15_000_000 },
  { month: '2026-03', experimentId: 'exp-a', baseline: 102_777.78, relativeLift: 0.12, decisions: 20_000_000 },
];
const entries: CostEntry[] = [
  { category: 'cloud', recurrence: 'monthly', amount: 5_000, effectiveFrom: '2026-01' },
  { category: 'development', recurrence: 'one_off', amount: 10_000, effectiveFrom: '2026-01' },
];

describe(buildRoiReport.name, () => {
  it("reproduces the case study per quarter: 2026-Q1 ROI 48 % on $25,000", () => {
    const [q1, ...rest] = buildRoiReport({ outcomes: quarter, costEntries: entries, groupBy: 'quarter' });
    expect(rest).toEqual([]);
    expect(q1).toEqual({
      period: '2026-Q1',
      grouping: 'quarter',
      from: '2026-01',
      to: '2026-03',
      months: 3,
      baseline: 308_333.33,
      gain: 37_000,
      cloudCost: 15_000,
      developmentCost: 10_000,
      operationsCost: 0,
      totalCost: 25_000,
      netGain: 12_000,
      roiPercent: 48,
      gainShareOfBaselinePercent: 12,
      decisions: 50_000_000,
      costPerThousandDecisions: 0.5,
      flagged: false,
    });
  });

  it('reports per month: January carries the development cost and is flagged', () => {
    const rows = buildRoiReport({ outcomes: quarter, costEntries: entries, groupBy: 'month' });
    // Jan: 0.12 × 102,777.77 = 12,333.33 against 15,000 → −17.78 %; Feb: 12,333.33 against 5,000 → 146.67 %.
    expect(rows.map((row) => [row.period, row.gain, row.totalCost, row.roiPercent, row.flagged])).toEqual([
      ['2026-01', 12_333.33, 15_000, -17.78, true],
      ['2026-02', 12_333.33, 5_000, 146.67, false],
      ['2026-03', 12_333.33, 5_000, 146.67, false],
    ]);
  });

  it('counts only the months inside the requested range, with open-ended costs up to its end', () => {
    const rows = buildRoiReport({ outcomes: quarter, costEntries: entries, groupBy: 'quarter', from: '2026-02', to: '2026-05' });
    expect(rows.map((row) => [row.period, row.months, row.gain, row.totalCost])).toEqual([
      ['2026-Q1', 2, 24_666.67, 10_000],
      ['2026-Q2', 2, 0, 10_000],
    ]);
  });

  it('splits shared costs between experiments running in the same month and keeps tagged costs with theirs', () => {
    const outcomes: MonthlyOutcome[] = [
      ...quarter,
      { month: '2026-03', experimentId: 'exp-b', baseline: 50_000, relativeLift: 0.05 },
      { month: '2026-04', experimentId: 'exp-b', baseline: 50_000, relativeLift: 0.05 },
    ];
    const costEntries: CostEntry[] = [...entries, { category: 'development', recurrence: 'one_off', hours: 40, hourlyRate: 100, effectiveFrom: '2026-02', experimentId: 'exp-b' }];
    const rows = buildRoiReport({ outcomes, costEntries, groupBy: 'experiment' });
    const [a, b] = rows;
    // exp-a: Jan 15,000 + Feb 5,000 + half of March's 5,000 = 22,500. exp-b: half of March + April 5,000 + its own 4,000 = 11,500.
    expect([a!.period, a!.totalCost, a!.gain]).toEqual(['exp-a', 22_500, 37_000]);
    expect([b!.period, b!.totalCost, b!.developmentCost, b!.gain, b!.from, b!.to]).toEqual(['exp-b', 11_500, 4_000, 5_000, '2026-03', '2026-04']);
    // Nothing is counted twice: the experiments' costs add up to the costs of the months they ran in, plus exp-b's own.
    const monthly = buildRoiReport({ outcomes, costEntries: entries, groupBy: 'month' });
    expect(a!.totalCost + b!.totalCost).toBe(monthly.reduce((sum, row) => sum + row.totalCost, 0) + 4_000);
  });

  it('refuses outcomes without an experiment in a per-experiment report, and bad months', () => {
    let caught: unknown;
    try {
      buildRoiReport({ outcomes: [{ month: '2026-1', baseline: 1, relativeLift: 0 }], costEntries: entries, groupBy: 'experiment' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).problems.map((problem) => problem.field)).toEqual(['outcomes[0].month', 'outcomes']);
  });

  it('has no rows without outcomes or a range', () => {
    expect(buildRoiReport({ outcomes: [], costEntries: entries, groupBy: 'month' })).toEqual([]);
  });
});
