import { addDays, dayOfWeekAt, instantAtLocalTime, localDateAt, roundTo } from '@dynaprice/kernel';
import { MS_PER_DAY, daysToExpiry } from './catalog-types';
import { MAX_DAYS_TO_EXPIRY_FEATURE } from './demand-features';
import { overrideEnd, type PriceOverride } from './overrides';
import { DEFAULT_PRICING_CONFIG, type PricingInput, type ResolvedPricingConfig } from './pricing-input';

/**
 * Reuse (SPEC §5 step 7): a decision stands until something that priced it changes — its fingerprint
 * — or its valid-until passes. Stock and expiring units enter the fingerprint as buckets (powers of
 * two), so a decision survives single sales; everything else enters exactly. The API should compute
 * the sales-history features (velocity7d, priceRatio7d) as of the start of the store's day, or every
 * sale will change the fingerprint.
 */

/** 0 for nothing; then (0, 1] → 1, (1, 2] → 2, (2, 4] → 3, (4, 8] → 4, … */
export function stockBucket(units: number): number {
  if (!(units > 0)) return 0;
  return Math.max(1, Math.ceil(Math.log2(units)) + 1);
}

/** The days-to-expiry band: whole days left, as the model sees them (capped at 30). */
export function expiryBand(daysLeft: number): number {
  return Math.min(Math.max(0, Math.ceil(daysLeft)), MAX_DAYS_TO_EXPIRY_FEATURE);
}

function amount(value: number | null | undefined, decimals = 2): string {
  return value == null ? '-' : String(roundTo(value, decimals));
}

/** 64 bits of a fast non-cryptographic hash (cyrb53's mixing, both lanes kept), as 16 hex digits. */
function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** Expected waste reads the stock by days left: the first few ages, each as a stock bucket. */
function agesText(ages: PricingInput['context']['stockAges']): string {
  if (ages === undefined) return '-';
  let text = '';
  for (let i = 0; i < ages.length && i < FINGERPRINT_AGES; i++) {
    const age = ages[i] as NonNullable<typeof ages>[number];
    text += `${i === 0 ? '' : ','}${age.daysLeft}:${stockBucket(age.units)}`;
  }
  return text;
}

const FINGERPRINT_AGES = 4;

/** The canonical text the fingerprint hashes (for logs and debugging). */
export function decisionFingerprintText(input: PricingInput, storeDay: string, config: ResolvedPricingConfig = DEFAULT_PRICING_CONFIG): string {
  const { sku, context, guardrails: g, override, variant } = input;
  return [
    'v1',
    input.storeId,
    sku.code,
    variant.kind,
    variant.name,
    variant.kind === 'model' ? variant.modelVersion : '-',
    config.key,
    storeDay,
    `list=${amount(context.listPrice)}`,
    `cost=${amount(sku.unitCost, 4)}`,
    `salvage=${amount(sku.salvageValue ?? 0, 4)}`,
    `sku=${amount(sku.priceFloor)}..${amount(sku.priceCeiling)}`,
    `g=${amount(g.minMarginPct, 4)},${amount(g.maxChangePct, 4)},${amount(g.priceFloor)}..${amount(g.priceCeiling)},${g.priceEndings.join('/')},${g.frozen ? 1 : 0}`,
    override ? `o=${override.id},${amount(override.price)},${override.forced ? 1 : 0},${overrideEnd(override)}` : 'o=-',
    `last=${amount(input.lastPrice)},${amount(input.openingPrice ?? input.lastPrice)}`,
    `stock=${stockBucket(context.stockUnits)},${stockBucket(context.expiringUnits)}`,
    `ages=${agesText(context.stockAges)}`,
    `expiry=${expiryBand(context.daysToExpiry)}`,
    `ctx=${context.category},${context.shelfLifeDays},${context.dayOfWeek},${amount(context.velocity7d, 3)},${amount(context.priceRatio7d, 3)}`,
  ].join('|');
}

/**
 * A stable key of everything that priced a decision: variant and model version, pricing settings,
 * store day, list price, cost, salvage, catalog and resolved guardrail values, the active override
 * (id, price, forced, end), last and opening price, stock and expiring-unit buckets, the buckets of the
 * first four stock ages (days left), the expiry band
 * and the rest of the demand context. Same inputs → same key; the requester is not an input.
 */
export function decisionFingerprint(input: PricingInput, storeDay: string, config: ResolvedPricingConfig = DEFAULT_PRICING_CONFIG): string {
  return hash64(decisionFingerprintText(input, storeDay, config));
}

// ---------------------------------------------------------------- the store's calendar

export interface StoreDay {
  /** 'YYYY-MM-DD' in the store's time zone. */
  readonly day: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: number;
  /** The instant the store's next day begins (local midnight). */
  readonly endsAt: number;
}

export function storeDay(at: Date | number, timeZone: string): StoreDay {
  const t = +at;
  const day = localDateAt(t, timeZone);
  let endsAt = +instantAtLocalTime(addDays(day, 1), 0, 0, timeZone);
  // A zone whose midnight is skipped by a DST jump: the day still ends within 24 h.
  if (!(endsAt > t)) endsAt = t + MS_PER_DAY;
  return { day, dayOfWeek: dayOfWeekAt(t, timeZone), endsAt };
}

/**
 * `storeDay` remembered per time zone until the day it names ends: the hot path asks for the store's
 * day on every request, and working it out takes several Intl date conversions. Asking about an
 * earlier instant than the remembered one (a clock set back, a counterfactual) works it out afresh.
 */
export class StoreDayCache {
  private readonly days = new Map<string, { from: number; day: StoreDay }>();

  at(at: number, timeZone: string): StoreDay {
    const known = this.days.get(timeZone);
    if (known && at >= known.from && at < known.day.endsAt) return known.day;
    const day = storeDay(at, timeZone);
    this.days.set(timeZone, { from: at, day });
    return day;
  }
}

export interface ValidityInputs {
  readonly timeZone: string;
  /** `storeDay(now, timeZone).endsAt` when the caller has it already (the hot path prices many lines per request). */
  readonly dayEndsAt?: number;
  /** expiresAt of the store × SKU's lots in stock. */
  readonly lotExpiries?: Iterable<Date | number>;
  /** The store × SKU's overrides (active or upcoming). */
  readonly overrides?: Iterable<Pick<PriceOverride, 'startsAt' | 'endsAt' | 'cancelledAt'>>;
}

/**
 * Until when a decision made at `now` stands, the earliest of:
 * - the end of the store's day (max change per day, day of week and the sales window move on);
 * - the next time any lot's whole days left changes (its expiry band and stock age; this also covers
 *   lots entering the one-day expiring window, and expiring lots leaving stock);
 * - the next start or end of an override of the store × SKU.
 * Changes the API sees itself (stock buckets, guardrail or override edits, a new model) are caught by the fingerprint.
 */
export function validUntil(now: Date | number, inputs: ValidityInputs): Date {
  const t = +now;
  let until = inputs.dayEndsAt ?? storeDay(t, inputs.timeZone).endsAt;
  for (const expiresAt of inputs.lotExpiries ?? []) {
    const left = daysToExpiry(expiresAt, t);
    if (left <= 0) continue;
    // Whole days left, uncapped: the expiry band stops at 30 but the stock ages (waste) do not.
    const change = +expiresAt - (left - 1) * MS_PER_DAY;
    if (change > t && change < until) until = change;
  }
  for (const override of inputs.overrides ?? []) {
    const start = +override.startsAt;
    const end = override.cancelledAt == null ? +override.endsAt : Math.min(+override.endsAt, +override.cancelledAt);
    if (start > t && start < until) until = start;
    if (end > t && end < until) until = end;
  }
  return new Date(until);
}
