import { expectedOutcome, expectedProfit, expectedUnits } from './expected-profit';

const terms = { stockUnits: 20, expiringUnits: 8, unitCost: 1.5, salvageValue: 0.25 };

describe(expectedOutcome.name, () => {
  it('sells the predicted units when stock covers them, and wastes the expiring units they do not use up', () => {
    // 5 sold, all from the 8 expiring units (FIFO): 3 wasted.
    // profit = 5 × (3 − 1.5) − 3 × (1.5 − 0.25) = 7.5 − 3.75 = 3.75
    expect(expectedOutcome(3, 5, terms)).toEqual({ units: 5, waste: 3, revenue: 15, profit: 3.75 });
  });

  it('wastes nothing once sales use up every expiring unit', () => {
    // 12 sold ≥ 8 expiring: profit = 12 × 0.5 = 6
    expect(expectedOutcome(2, 12, terms)).toEqual({ units: 12, waste: 0, revenue: 24, profit: 6 });
  });

  it('caps sales at the stock', () => {
    // 20 sold of a predicted 35; profit = 20 × 1 = 20
    expect(expectedOutcome(2.5, 35, terms)).toEqual({ units: 20, waste: 0, revenue: 50, profit: 20 });
  });

  it('caps the expiring units at the stock', () => {
    // 4 on hand all expiring though the feed says 9; 1 sold → 3 wasted at 1.5 − 0.25.
    const outcome = expectedOutcome(2, 1, { ...terms, stockUnits: 4, expiringUnits: 9 });
    expect(outcome.waste).toBe(3);
    expect(outcome.profit).toBeCloseTo(1 * 0.5 - 3 * 1.25, 12);
  });

  it('charges the full cost of waste when nothing is salvaged', () => {
    // nothing sold: 8 × (1.5 − 0) lost
    expect(expectedOutcome(2, 0, { ...terms, salvageValue: 0 }).profit).toBe(-12);
  });

  it('counts a negative or NaN prediction as no sales', () => {
    expect(expectedOutcome(2, -3, terms).units).toBe(0);
    expect(expectedOutcome(2, Number.NaN, terms).units).toBe(0);
    expect(expectedUnits(7, 0)).toBe(0);
  });

  it('agrees with the allocation-free expectedProfit', () => {
    for (const [price, demand] of [[3, 5], [2, 12], [2.5, 35], [0.99, 0]] as const) {
      expect(expectedProfit(price, demand, terms)).toBe(expectedOutcome(price, demand, terms).profit);
    }
  });
});
