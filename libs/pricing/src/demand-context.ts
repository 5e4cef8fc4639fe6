import { daysToExpiry } from './catalog-types';
import type { DemandContext } from './demand-features';
import type { StockAge } from './expected-profit';
import type { RecentSalesSummary } from './recent-sales';

/** Units in lots with at most this many days left are "expiring": they are waste if unsold today. */
export const EXPIRING_WITHIN_DAYS = 1;

/** A lot's stock position as pricing sees it. */
export interface LotPosition {
  quantity: number;
  expiresAt: Date | number;
}

export interface DemandContextInput {
  category: string;
  shelfLifeDays: number;
  listPrice: number;
  /** The store × SKU's lots in stock (empty lots are ignored). */
  lots: Iterable<LotPosition>;
  /** The pricing time: days to expiry and the recent-sales window are measured from it. */
  pricingAt: Date | number;
  /** Day of week at `pricingAt` in the store's time zone (`dayOfWeekAt(pricingAt, store.timezone)`). */
  dayOfWeek: number;
  /** libs/pricing `summariseRecentSales(sales of the store × SKU, listPrice, pricingAt)`. */
  recent: RecentSalesSummary;
}

/**
 * The demand model's context for one store × SKU at pricing time — one function for the API, the
 * simulator and training, so serving sees features exactly as training did:
 * - daysToExpiry: libs/pricing `daysToExpiry` of the oldest lot in stock (the soonest `expiresAt`);
 *   with nothing in stock, the shelf life (a fresh lot is what would be offered next);
 * - stockUnits: units on hand; expiringUnits: units in lots with ≤ 1 day left; stockAges: units on
 *   hand by whole days left, soonest first;
 * - velocity7d / priceRatio7d: from libs/pricing `summariseRecentSales` at `pricingAt` (`input.recent`).
 */
export function buildDemandContext(input: DemandContextInput): DemandContext {
  const asOf = +input.pricingAt;
  let stockUnits = 0;
  let expiringUnits = 0;
  let oldest = Number.POSITIVE_INFINITY;
  const unitsByDaysLeft = new Map<number, number>();
  for (const lot of input.lots) {
    if (lot.quantity <= 0) continue;
    const left = daysToExpiry(lot.expiresAt, asOf);
    // An expired lot is waste waiting to be reported, not stock that can sell.
    if (left <= 0) continue;
    stockUnits += lot.quantity;
    if (left <= EXPIRING_WITHIN_DAYS) expiringUnits += lot.quantity;
    if (left < oldest) oldest = left;
    unitsByDaysLeft.set(left, (unitsByDaysLeft.get(left) ?? 0) + lot.quantity);
  }
  const stockAges: StockAge[] = [...unitsByDaysLeft].map(([daysLeft, units]) => ({ daysLeft, units })).sort((a, b) => a.daysLeft - b.daysLeft);
  return {
    listPrice: input.listPrice,
    daysToExpiry: stockUnits > 0 ? oldest : input.shelfLifeDays,
    stockUnits,
    expiringUnits,
    dayOfWeek: input.dayOfWeek,
    category: input.category,
    shelfLifeDays: input.shelfLifeDays,
    velocity7d: input.recent.velocity7d,
    priceRatio7d: input.recent.priceRatio7d,
    stockAges,
  };
}
