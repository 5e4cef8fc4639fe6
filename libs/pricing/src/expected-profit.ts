/** Units on hand with the same whole days left before they expire. */
export interface StockAge {
  /** Whole days left (libs/pricing `daysToExpiry`): 1 = expires before the next pricing day. */
  readonly daysLeft: number;
  readonly units: number;
}

/** What expected profit needs besides the price and the predicted demand. */
export interface ProfitTerms {
  readonly stockUnits: number;
  /** Units on hand that expire within the pricing horizon (capped at stockUnits). */
  readonly expiringUnits: number;
  readonly unitCost: number;
  /** Recovered per wasted unit (markdown outlet, feed, …); 0 when nothing is recovered. */
  readonly salvageValue: number;
  /**
   * The stock by days left, soonest first. With it, waste is forecast over the whole remaining life of
   * the stock (`expectedWaste`); without it, only `expiringUnits` can become waste.
   */
  readonly stockAges?: readonly StockAge[];
}

/** Expected outcome of one price over the pricing horizon. */
export interface ExpectedOutcome {
  /** Units sold: min(predicted demand, stock). */
  readonly units: number;
  /** Waste charged to this horizon: see `expectedWaste`. */
  readonly waste: number;
  readonly revenue: number;
  /** Gross margin after waste: units × (price − cost) − waste × (cost − salvage). */
  readonly profit: number;
}

/** Expected units sold: the prediction clamped to [0, stock]; a NaN or negative prediction counts as 0. */
export function expectedUnits(predictedUnits: number, stockUnits: number): number {
  const demand = predictedUnits > 0 ? predictedUnits : 0;
  return demand < stockUnits ? demand : stockUnits > 0 ? stockUnits : 0;
}

/**
 * Expected waste charged to one pricing day, selling oldest stock first (FIFO).
 *
 * Without `stockAges`: the expiring units that today's sales do not use up.
 *
 * With `stockAges`: if demand stayed at `predictedUnits` a day, a lot with d days left sells what the
 * d days of demand leave after the older lots, and the rest is thrown away on its last day. Each lot's
 * waste is spread over the d days that could have sold it, and today's share is charged. A price that
 * only counted tonight's waste keeps prices high while a glut is still two or three days from expiry,
 * and then cannot clear it on the last day; for a lot expiring tonight (d = 1) both forms agree.
 */
export function expectedWaste(predictedUnits: number, terms: ProfitTerms): number {
  const demandPerDay = predictedUnits > 0 ? predictedUnits : 0;
  const ages = terms.stockAges;
  if (ages === undefined) {
    const sold = expectedUnits(demandPerDay, terms.stockUnits);
    const expiring = terms.expiringUnits < terms.stockUnits ? terms.expiringUnits : terms.stockUnits;
    const waste = expiring - sold;
    return waste > 0 ? waste : 0;
  }
  return shelfLifeWaste(demandPerDay, ages, 0);
}

/**
 * The waste part of `expectedWaste` for stock given by age: `soldFromOlderLots` are units of older stock,
 * not in `ages`, that the same demand sells first (the simulator's oracle prices tonight's lot exactly
 * and the later ones with this).
 */
export function shelfLifeWaste(demandPerDay: number, ages: readonly StockAge[], soldFromOlderLots: number): number {
  let sold = soldFromOlderLots;
  let wasteToday = 0;
  for (let i = 0; i < ages.length; i++) {
    const age = ages[i] as StockAge;
    if (!(age.units > 0)) continue;
    const days = age.daysLeft > 1 ? age.daysLeft : 1;
    const demandLeft = demandPerDay * days - sold;
    const soldOfLot = demandLeft <= 0 ? 0 : demandLeft < age.units ? demandLeft : age.units;
    sold += soldOfLot;
    if (soldOfLot < age.units) wasteToday += (age.units - soldOfLot) / days;
  }
  return wasteToday;
}

/** Expected gross margin after waste, without allocating (the hot path's form of expectedOutcome). */
export function expectedProfit(price: number, predictedUnits: number, terms: ProfitTerms): number {
  const units = expectedUnits(predictedUnits, terms.stockUnits);
  return units * (price - terms.unitCost) - expectedWaste(predictedUnits, terms) * (terms.unitCost - terms.salvageValue);
}

/** SPEC §5 step 5 for one candidate price. */
export function expectedOutcome(price: number, predictedUnits: number, terms: ProfitTerms): ExpectedOutcome {
  const units = expectedUnits(predictedUnits, terms.stockUnits);
  const waste = expectedWaste(predictedUnits, terms);
  return {
    units,
    waste,
    revenue: units * price,
    profit: units * (price - terms.unitCost) - waste * (terms.unitCost - terms.salvageValue),
  };
}
