import { MS_PER_DAY } from './catalog-types';

export const VELOCITY_WINDOW_DAYS = 7;

export interface RecentSale {
  soldAt: Date | number;
  quantity: number;
  unitPrice: number;
}

export interface RecentSalesSummary {
  /** Units sold per day over the window. */
  velocity7d: number;
  /** Units-weighted mean of unit price / list price over the window; 1 when nothing sold. */
  priceRatio7d: number;
}

/**
 * The two sales-history features, computed the same way at training time (market simulator,
 * history in the database) and at pricing time: sales in [asOf − 7 days, asOf).
 */
export function summariseRecentSales(sales: Iterable<RecentSale>, listPrice: number, asOf: Date | number): RecentSalesSummary {
  const end = +asOf;
  const start = end - VELOCITY_WINDOW_DAYS * MS_PER_DAY;
  let units = 0;
  let revenue = 0;
  for (const sale of sales) {
    const at = +sale.soldAt;
    if (at < start || at >= end) continue;
    units += sale.quantity;
    revenue += sale.quantity * sale.unitPrice;
  }
  return {
    velocity7d: units / VELOCITY_WINDOW_DAYS,
    priceRatio7d: units > 0 && listPrice > 0 ? revenue / units / listPrice : 1,
  };
}
