/** What expected profit needs besides the price and the predicted demand. */
export interface ProfitTerms {
  readonly stockUnits: number;
  /** Units on hand that expire within the pricing horizon (capped at stockUnits). */
  readonly expiringUnits: number;
  readonly unitCost: number;
  /** Recovered per wasted unit (markdown outlet, feed, …); 0 when nothing is recovered. */
  readonly salvageValue: number;
}

/** Expected outcome of one price over the pricing horizon. */
export interface ExpectedOutcome {
  /** Units sold: min(predicted demand, stock). */
  readonly units: number;
  /** Units thrown away: expiring units the sales (oldest stock first) do not use up. */
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

/** Expected waste: FIFO, so sales use up the expiring (oldest) units first. */
export function expectedWaste(unitsSold: number, expiringUnits: number, stockUnits: number): number {
  const expiring = expiringUnits < stockUnits ? expiringUnits : stockUnits;
  const waste = expiring - unitsSold;
  return waste > 0 ? waste : 0;
}

/** Expected gross margin after waste, without allocating (the hot path's form of expectedOutcome). */
export function expectedProfit(price: number, predictedUnits: number, terms: ProfitTerms): number {
  const units = expectedUnits(predictedUnits, terms.stockUnits);
  const waste = expectedWaste(units, terms.expiringUnits, terms.stockUnits);
  return units * (price - terms.unitCost) - waste * (terms.unitCost - terms.salvageValue);
}

/** SPEC §5 step 5 for one candidate price. */
export function expectedOutcome(price: number, predictedUnits: number, terms: ProfitTerms): ExpectedOutcome {
  const units = expectedUnits(predictedUnits, terms.stockUnits);
  const waste = expectedWaste(units, terms.expiringUnits, terms.stockUnits);
  return {
    units,
    waste,
    revenue: units * price,
    profit: units * (price - terms.unitCost) - waste * (terms.unitCost - terms.salvageValue),
  };
}
