import type { StockAge } from './expected-profit';
import { categoryCode } from './catalog-types';

/**
 * The demand model's input, in order. Everything here is known when a price is asked for; nothing
 * about the customer is (fairness: a price never depends on who asks).
 * Target: units of one SKU sold in one store over the pricing horizon (one day).
 */
export const DEMAND_FEATURES = [
  { name: 'price_ratio', type: 'numeric', description: 'candidate price / list price' },
  { name: 'list_price', type: 'numeric', description: 'list price in the retailer currency' },
  { name: 'days_to_expiry', type: 'numeric', description: 'whole days left on the oldest lot in stock (capped at 30)' },
  { name: 'stock_units', type: 'numeric', description: 'units on hand in the store at pricing time' },
  { name: 'expiring_units', type: 'numeric', description: 'units on hand that expire within the pricing horizon' },
  { name: 'day_of_week', type: 'categorical', description: '0 = Sunday … 6 = Saturday, in the store time zone' },
  { name: 'category', type: 'categorical', description: 'product category code (PRODUCT_CATEGORIES order)' },
  { name: 'shelf_life_days', type: 'numeric', description: 'shelf life of a fresh lot' },
  { name: 'velocity_7d', type: 'numeric', description: 'mean units sold per day over the last 7 days' },
  { name: 'price_ratio_7d', type: 'numeric', description: 'mean price / list price over the last 7 days' },
] as const satisfies readonly { name: string; type: 'numeric' | 'categorical'; description: string }[];

export type DemandFeatureName = (typeof DEMAND_FEATURES)[number]['name'];
export const DEMAND_FEATURE_COUNT = DEMAND_FEATURES.length;
export const PRICE_FEATURE_INDEX = 0;
export const MAX_DAYS_TO_EXPIRY_FEATURE = 30;

/** What the model needs about one store × SKU, apart from the candidate price. */
export interface DemandContext {
  listPrice: number;
  daysToExpiry: number;
  stockUnits: number;
  expiringUnits: number;
  dayOfWeek: number;
  category: string;
  shelfLifeDays: number;
  velocity7d: number;
  priceRatio7d: number;
  /** Stock by days left, soonest first (not a model feature: expected waste reads it). */
  stockAges?: readonly StockAge[];
}

/** Writes one feature row at `offset` rows into `out` (row-major, DEMAND_FEATURE_COUNT columns). */
export function writeDemandFeatures(out: Float32Array, row: number, context: DemandContext, priceRatio: number): void {
  const base = row * DEMAND_FEATURE_COUNT;
  out[base] = priceRatio;
  out[base + 1] = context.listPrice;
  out[base + 2] = Math.min(context.daysToExpiry, MAX_DAYS_TO_EXPIRY_FEATURE);
  out[base + 3] = context.stockUnits;
  out[base + 4] = context.expiringUnits;
  out[base + 5] = context.dayOfWeek;
  out[base + 6] = categoryCode(context.category);
  out[base + 7] = context.shelfLifeDays;
  out[base + 8] = context.velocity7d;
  out[base + 9] = context.priceRatio7d;
}
