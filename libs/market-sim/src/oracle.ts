import { DomainError, roundToCents } from '@dynaprice/kernel';
import { shelfLifeWaste, type StockAge } from '@dynaprice/pricing';
import { censoredDemand } from './demand-distribution';
import type { DemoRetailer, DemoSku } from './retailer';
import type { SlotState } from './simulation';

/** What the oracle needs about one store × SKU on one day; a `DemandContext` plus ids fits. */
export interface OracleState {
  storeId: string;
  skuCode: string;
  stockUnits: number;
  /** Units that expire tonight (waste if unsold). */
  expiringUnits: number;
  /** Stock by days left, soonest first; when given, later lots' waste is charged as pricing charges it. */
  stockAges?: readonly StockAge[];
  /** Days left on the oldest lot (the one on offer). */
  daysToExpiry: number;
  dayOfWeek: number;
}

/** The oracle's view of a simulated slot: the stock and calendar the pricing engine saw. */
export function oracleStateOf(slot: SlotState): OracleState {
  const { daysToExpiry, dayOfWeek, stockUnits, expiringUnits, stockAges } = slot.context;
  const state: OracleState = { storeId: slot.storeId, skuCode: slot.skuCode, daysToExpiry, dayOfWeek, stockUnits, expiringUnits };
  if (stockAges) state.stockAges = stockAges;
  return state;
}

export interface OracleOutcome {
  price: number;
  /** Expected demand at this price, unconstrained by stock. */
  expectedDemand: number;
  /** E[min(demand, stock)]. */
  expectedUnitsSold: number;
  /**
   * Expected waste charged to the day: tonight's expiring units left unsold (sales take the oldest lots
   * first), plus, with `stockAges`, today's share of the later lots' waste (libs/pricing `expectedWaste`).
   */
  expectedWasteUnits: number;
  /** Sold × (price − cost) − waste × (cost − salvage), in expectation. */
  expectedProfit: number;
}

/** Default step of the oracle's price ladder, as a share of list price. */
export const ORACLE_STEP_SHARE = 0.005;

/**
 * Expected one-day outcome at `price` under the TRUE (negative binomial) demand, with the product's profit
 * formula: units sold = min(demand, stock); waste = expiring units not sold, plus today's share of the
 * later lots' waste at this demand; profit = sold × (price − cost) − waste × (cost − salvage).
 */
export function trueOutcome(retailer: DemoRetailer, state: OracleState, price: number): OracleOutcome {
  const expectedDemand = retailer.expectedDemand(state.storeId, state.skuCode, price, state.daysToExpiry, state.dayOfWeek);
  const { dispersion } = retailer.demandParams(state.storeId, state.skuCode);
  return outcome(retailer.sku(state.skuCode), state, price, expectedDemand, dispersion);
}

function outcome(sku: DemoSku, state: OracleState, price: number, expectedDemand: number, dispersion: number): OracleOutcome {
  const { unitsSold, unsoldExpiring } = censoredDemand(expectedDemand, dispersion, state.stockUnits, state.expiringUnits);
  const expiring = Math.min(Math.max(0, Math.floor(state.expiringUnits)), Math.max(0, Math.floor(state.stockUnits)));
  // Tonight's lot exactly; the later lots after the E[min(D, expiring)] units tonight's lot sells.
  const laterWaste = state.stockAges ? shelfLifeWaste(expectedDemand, laterLots(state.stockAges), expiring - unsoldExpiring) : 0;
  const wasteUnits = unsoldExpiring + laterWaste;
  return {
    price,
    expectedDemand,
    expectedUnitsSold: unitsSold,
    expectedWasteUnits: wasteUnits,
    expectedProfit: unitsSold * (price - sku.unitCost) - wasteUnits * (sku.unitCost - sku.salvageValue),
  };
}

function laterLots(ages: readonly StockAge[]): readonly StockAge[] {
  return ages[0] && ages[0].daysLeft <= 1 ? ages.filter((age) => age.daysLeft > 1) : ages;
}

/** Candidate prices from the SKU's floor to its ceiling, every `stepShare` of list price, plus the list price, in cents. */
export function oraclePriceLadder(sku: DemoSku, stepShare = ORACLE_STEP_SHARE): number[] {
  if (!(stepShare > 0 && stepShare <= 1)) throw DomainError.validation('stepShare', 'must be above 0 and at most 1');
  const step = Math.max(0.01, sku.listPrice * stepShare);
  const prices = new Set<number>();
  for (let price = sku.priceFloor; price < sku.priceCeiling; price += step) prices.add(roundToCents(price));
  prices.add(sku.priceCeiling);
  if (sku.listPrice >= sku.priceFloor && sku.listPrice <= sku.priceCeiling) prices.add(sku.listPrice);
  return [...prices].sort((a, b) => a - b);
}

/**
 * The price that maximises expected one-day profit under the true demand, over a fine ladder
 * within floor and ceiling: what a perfect demand model would choose with the product's formula.
 */
export function oraclePrice(retailer: DemoRetailer, state: OracleState, options: { stepShare?: number } = {}): OracleOutcome {
  const sku = retailer.sku(state.skuCode);
  const storeIndex = retailer.storeIndex(state.storeId);
  const skuIndex = retailer.skuIndex(state.skuCode);
  const { dispersion } = retailer.truth.paramsAt(storeIndex, skuIndex);
  let best: OracleOutcome | undefined;
  for (const price of oraclePriceLadder(sku, options.stepShare)) {
    const demand = retailer.truth.expectedDemandAt(storeIndex, skuIndex, price, state.daysToExpiry, state.dayOfWeek);
    const candidate = outcome(sku, state, price, demand, dispersion);
    if (!best || candidate.expectedProfit > best.expectedProfit) best = candidate;
  }
  return best as OracleOutcome;
}
