import fc from 'fast-check';
import { expectedOutcome, expectedProfit, expectedUnits, expectedWaste, type ProfitTerms } from './expected-profit';

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

describe(expectedWaste.name, () => {
  const base = { unitCost: 1.5, salvageValue: 0.25 };
  const aged = (...ages: Array<[daysLeft: number, units: number]>): ProfitTerms => {
    const stockAges = ages.map(([daysLeft, units]) => ({ daysLeft, units }));
    const stockUnits = stockAges.reduce((sum, age) => sum + age.units, 0);
    const expiringUnits = stockAges.filter((age) => age.daysLeft <= 1).reduce((sum, age) => sum + age.units, 0);
    return { ...base, stockUnits, expiringUnits, stockAges };
  };

  it('charges today a lot’s share of the waste its remaining days of demand leave behind', () => {
    // 30 units with 3 days left, 8 a day: 24 sell, 6 are thrown away on the last day; today carries 6 / 3.
    expect(expectedWaste(8, aged([3, 30]))).toBeCloseTo(2, 12);
    // 12 a day clears them in 2.5 days: no waste.
    expect(expectedWaste(12, aged([3, 30]))).toBe(0);
  });

  it('sells the oldest lot first: a younger lot only gets the demand the older lots leave', () => {
    // 10 tonight, 20 with 2 days left, 6 a day: tonight 6 sell (4 wasted, all charged today);
    // the 2-day lot gets 12 − 6 = 6 of its 20: 14 wasted over 2 days, 7 charged today.
    expect(expectedWaste(6, aged([1, 10], [2, 20]))).toBeCloseTo(4 + 7, 12);
  });

  it('is the one-day form when every unit expires tonight', () => {
    for (const demand of [0, 3, 8, 12, 40]) {
      const terms = aged([1, 8]);
      expect(expectedWaste(demand, terms)).toBe(expectedWaste(demand, { ...terms, stockAges: undefined } as ProfitTerms));
    }
  });

  it('makes a glut a few days from expiry cheaper to sell now than to hold at a high price', () => {
    const glut = aged([2, 40]);
    // Demand 5 at 3.00, 14 at 2.00: the one-day form sees no waste and keeps the high price (7.5 > 7);
    // over two days 3.00 throws 30 units away (15 today) and 2.00 only 12 (6 today): −11.25 < −0.5.
    const oneDay = { ...glut, expiringUnits: 0, stockAges: undefined } as ProfitTerms;
    expect(expectedProfit(3, 5, oneDay)).toBeGreaterThan(expectedProfit(2, 14, oneDay));
    expect(expectedProfit(3, 5, glut)).toBeCloseTo(-11.25, 12);
    expect(expectedProfit(2, 14, glut)).toBeCloseTo(-0.5, 12);
  });

  const stockAgesArb = fc
    .uniqueArray(fc.integer({ min: 1, max: 14 }), { minLength: 1, maxLength: 5 })
    .chain((days) => fc.tuple(...days.sort((a, b) => a - b).map((daysLeft) => fc.integer({ min: 0, max: 200 }).map((units) => [daysLeft, units] as [number, number]))));

  it('is never negative nor more than the stock, and never grows with demand (property)', () => {
    fc.assert(
      fc.property(stockAgesArb, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (ages, a, b) => {
        const terms = aged(...ages);
        const [low, high] = a < b ? [a, b] : [b, a];
        const wasteLow = expectedWaste(low, terms);
        expect(wasteLow).toBeGreaterThanOrEqual(0);
        expect(wasteLow).toBeLessThanOrEqual(terms.stockUnits + 1e-9);
        expect(expectedWaste(high, terms)).toBeLessThanOrEqual(wasteLow + 1e-9);
      }),
    );
  });

  it('never charges more because stock has longer to sell (property)', () => {
    fc.assert(
      fc.property(stockAgesArb, fc.double({ min: 0, max: 100, noNaN: true }), (ages, demand) => {
        const fresher = ages.map(([daysLeft, units]) => [daysLeft + 1, units] as [number, number]);
        expect(expectedWaste(demand, aged(...fresher))).toBeLessThanOrEqual(expectedWaste(demand, aged(...ages)) + 1e-9);
      }),
    );
  });
});
