import type { PriceObservation } from '@dynaprice/fairness';

/** Where an audited attribute's value comes from. */
export type AttributeSource = 'store' | 'segment';
export const ATTRIBUTE_SOURCES: readonly AttributeSource[] = ['store', 'segment'];

/**
 * The strata a comparison may hold fixed: store, SKU, days-to-expiry band, and (optional) the day — the
 * store-local day of the decision, or the UTC date of a sale without one. Add `day` when segments shop on
 * different days while prices change by the day (promotions, a new model): it removes that time mix, at
 * the cost of fewer observations in the common strata.
 */
export const STRATA_KEYS = ['storeId', 'skuCode', 'expiryBand', 'day'] as const;
export type StrataKey = (typeof STRATA_KEYS)[number];

/**
 * A declared segment attribute. `store`: a key of the stores' `attributes` (e.g. `incomeBand`), the same
 * for every price of the store. `segment`: the `segment` that price requests and sales carry (e.g. the
 * loyalty tier), named here.
 */
export interface AuditAttribute {
  readonly name: string;
  readonly source: AttributeSource;
  readonly strataKeys: readonly StrataKey[];
}

/**
 * Defaults (SPEC §8): the stores' neighbourhood income band, compared within SKU × days-to-expiry band
 * (a store attribute cannot be compared within one store), and the customer segment of requests and
 * sales as the loyalty tier, compared within store × SKU × days-to-expiry band.
 */
export const DEFAULT_AUDIT_ATTRIBUTES: readonly AuditAttribute[] = [
  { name: 'incomeBand', source: 'store', strataKeys: ['skuCode', 'expiryBand'] },
  { name: 'loyaltyTier', source: 'segment', strataKeys: ['storeId', 'skuCode', 'expiryBand'] },
];

/**
 * Days-to-expiry bands: one band per day up to 3 days left (where the markdown ladder and perishable
 * pricing move prices), then 4–6 and 7+; `unknown` when no decision tells (a sale without decision id).
 */
export function expiryBand(daysToExpiry: number | null | undefined): string {
  if (daysToExpiry === null || daysToExpiry === undefined || !Number.isFinite(daysToExpiry)) return 'unknown';
  if (daysToExpiry <= 0) return '0';
  if (daysToExpiry <= 3) return String(Math.floor(daysToExpiry));
  if (daysToExpiry <= 6) return '4-6';
  return '7+';
}

/** One offered or paid price as read from the database, before it becomes an observation. */
export interface PricedRow {
  readonly storeId: string;
  readonly skuCode: string;
  readonly price: number;
  readonly listPrice: number | null;
  readonly daysToExpiry: number | null;
  /** Store-local day of the decision (YYYY-MM-DD), else the sale's UTC date. */
  readonly day: string;
  /** The request's or sale's customer segment (only rows that feed `segment` attributes). */
  readonly segment?: string | null;
}

/** A store attribute value as a segment label (strings, numbers and booleans; anything else is absent). */
function label(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Observations of rows for the attributes of the given sources: each row carries the store attributes
 * (when `sources` has 'store') and its segment under every `segment` attribute's name (when it has
 * 'segment'). Rows without a positive price or list price are counted in `skipped`.
 */
export function toObservations(
  rows: readonly PricedRow[],
  attributes: readonly AuditAttribute[],
  storeAttributes: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
  sources: readonly AttributeSource[],
): { observations: PriceObservation[]; skipped: number } {
  const storeNames = attributes.filter((a) => a.source === 'store' && sources.includes('store')).map((a) => a.name);
  const segmentNames = attributes.filter((a) => a.source === 'segment' && sources.includes('segment')).map((a) => a.name);
  const observations: PriceObservation[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (!(row.price > 0 && row.listPrice !== null && row.listPrice > 0)) {
      skipped++;
      continue;
    }
    const segments: Record<string, string> = {};
    const attrs = storeAttributes.get(row.storeId) ?? {};
    for (const name of storeNames) {
      const value = label(attrs[name]);
      if (value !== undefined) segments[name] = value;
    }
    if (row.segment) for (const name of segmentNames) segments[name] = row.segment;
    if (Object.keys(segments).length === 0) continue;
    observations.push({
      priceIndex: row.price / row.listPrice,
      segments,
      strata: { storeId: row.storeId, skuCode: row.skuCode, expiryBand: expiryBand(row.daysToExpiry), day: row.day },
    });
  }
  return { observations, skipped };
}
