import { addDays, DomainError, roundToCents, SeededRandom, toLocalDate } from '@dynaprice/kernel';
import { DEFAULT_MARKDOWN_LADDER, legacyPrice, type MarkdownStep, type ProductCategory } from '@dynaprice/pricing';
import { snapToPriceEnding, type DemoRetailer, type DemoSku } from './retailer';
import { mixSeed } from './seed-mix';
import {
  MarketSimulation,
  type DailyAccounting,
  type InventoryLot,
  type OpenDay,
  type ReplenishmentPolicy,
  type SaleEvent,
  type SlotState,
  type TrainingObservation,
  type WasteEvent,
} from './simulation';

/** A chain-wide promotion: `discountPct` off list on every day from `startDate` to `endDate` inclusive. */
export interface Promotion {
  skuCode: string;
  startDate: string;
  endDate: string;
  discountPct: number;
}

/** A chain-wide list price change: `previousListPrice` before `effectiveDate`, the catalog's from it on. */
export interface ListPriceChange {
  skuCode: string;
  effectiveDate: string;
  previousListPrice: number;
  listPrice: number;
}

/**
 * The retailer's shelf price before dynamic pricing: list price with the standard markdown ladder
 * by days to expiry of the oldest lot (libs/pricing `legacyPrice`), or the promotion price when
 * lower, kept within the SKU's floor and ceiling.
 */
export function legacyShelfPrice(
  sku: DemoSku,
  listPrice: number,
  daysToExpiry: number,
  promotionPct = 0,
  ladder: readonly MarkdownStep[] = DEFAULT_MARKDOWN_LADDER,
): number {
  let price = legacyPrice(listPrice, daysToExpiry, ladder);
  if (promotionPct > 0) price = Math.min(price, roundToCents(listPrice * (1 - promotionPct / 100)));
  return Math.min(sku.priceCeiling, Math.max(sku.priceFloor, price));
}

export interface LegacyHistoryOptions {
  retailer: DemoRetailer;
  /** Days of recorded history. */
  days: number;
  /** The history covers the `days` local dates before this one ('YYYY-MM-DD'; a Date is read in UTC). */
  endDate: Date | string;
  seed: number;
  /**
   * Unrecorded days simulated first so that stock, order forecasts and the 7-day sales features
   * are in steady state on the first recorded day (default 14).
   */
  warmupDays?: number;
  ladder?: readonly MarkdownStep[];
  /** Share of full-price store × SKU × days with a test price (default DEFAULT_PRICE_TEST_SHARE; 0 = none). */
  priceTestShare?: number;
  replenishment?: Partial<Record<ProductCategory, ReplenishmentPolicy>>;
}

export interface LegacyHistory {
  /** First recorded local date. */
  startDate: string;
  /** The morning the history ends on (not recorded: `simulation` has it open). */
  endDate: string;
  sales: SaleEvent[];
  waste: WasteEvent[];
  observations: TrainingObservation[];
  accounting: DailyAccounting[];
  promotions: Promotion[];
  listPriceChanges: ListPriceChange[];
  /** Inventory on the morning of `endDate`, after its deliveries: the demo's current stock. */
  finalLots: InventoryLot[];
  /** The simulation with `endDate` open (`closeDay(prices)` continues it). */
  simulation: MarketSimulation;
  /** `endDate`'s morning state. */
  today: OpenDay;
}

/**
 * The demo retailer's price-test programme: on this share of store × SKU × days the category
 * managers try a price between 50 % and 120 % of list, whatever the lot's age. Without it no history
 * shows demand above list, or at full price on the last day, and trees cannot extrapolate: a model
 * trained on the markdown rule alone learns flat demand where the rule never went, and prices
 * expiring stock too high (measured: model margin fell below legacy). With it the model captures
 * ~97 % of the oracle's margin in the in-process policy benchmark (docs/model.md).
 */
export const DEFAULT_PRICE_TEST_SHARE = 0.2;
const PRICE_TEST_RATIOS: readonly [number, number] = [0.5, 1.2];

/** The test price ratio of one store × SKU × day, or null when it is not tested (own random stream). */
function priceTestRatio(seed: number, day: number, storeIndex: number, skuIndex: number, share: number): number | null {
  if (share <= 0) return null;
  const random = new SeededRandom(mixSeed(seed, 0x7e57, day, storeIndex, skuIndex));
  if (random.next() >= share) return null;
  return random.uniform(PRICE_TEST_RATIOS[0], PRICE_TEST_RATIOS[1]);
}

/** Shelf prices end in 9: 1.64 → 1.59, 1.66 → 1.69. */
function toShelfEnding(amount: number): number {
  return roundToCents(Math.max(0.09, Math.round(amount * 10) / 10 - 0.01));
}

/** Share of SKUs promoted each week, and the promotion depth and length. */
const PROMOTED_SHARE: readonly [number, number] = [0.1, 0.15];
const PROMOTION_PCTS = [10, 15, 20, 25, 30] as const;
const PROMOTION_DAYS: readonly [number, number] = [3, 5];
const LIST_CHANGE_SHARE = 0.25;

/**
 * The demo's history: `days` days ending the day before `endDate`, priced by the retailer's legacy
 * rule (markdown ladder by days to expiry) plus weekly promotions and occasional list price
 * changes, so that prices vary enough for elasticities to be learnable.
 */
export function simulateLegacyHistory(options: LegacyHistoryOptions): LegacyHistory {
  const { retailer, days, seed } = options;
  const warmupDays = options.warmupDays ?? 14;
  if (!(Number.isInteger(days) && days >= 1)) throw DomainError.validation('days', 'must be a whole number ≥ 1');
  if (!(Number.isInteger(warmupDays) && warmupDays >= 0)) throw DomainError.validation('warmupDays', 'must be a whole number ≥ 0');
  if (!Number.isInteger(seed)) throw DomainError.validation('seed', 'must be a whole number');
  const endDate = toLocalDate(options.endDate, 'endDate');
  const startDate = addDays(endDate, -days);
  const simulationStart = addDays(startDate, -warmupDays);
  const totalDays = warmupDays + days;
  const ladder = options.ladder ?? DEFAULT_MARKDOWN_LADDER;

  const random = new SeededRandom(mixSeed(seed, 0x9e0));
  const promotions = schedulePromotions(retailer, simulationStart, totalDays, random);
  const listPriceChanges = scheduleListPriceChanges(retailer, simulationStart, totalDays, random);
  const changeBySku = new Map(listPriceChanges.map((change) => [change.skuCode, change]));
  const promotionPct = promotionLookup(retailer, promotions, simulationStart, totalDays);

  const simulation = new MarketSimulation({
    retailer,
    startDate: simulationStart,
    seed,
    replenishment: options.replenishment,
    listPrice: (sku, date) => {
      const change = changeBySku.get(sku.code);
      return change && date < change.effectiveDate ? change.previousListPrice : sku.listPrice;
    },
  });
  const testShare = options.priceTestShare ?? DEFAULT_PRICE_TEST_SHARE;
  const price = (slot: SlotState): number => {
    const legacy = legacyShelfPrice(slot.sku, slot.listPrice, slot.context.daysToExpiry, promotionPct(slot.day, slot.skuIndex), ladder);
    const ratio = priceTestRatio(seed, slot.day, slot.storeIndex, slot.skuIndex, testShare);
    return ratio === null ? legacy : Math.min(slot.sku.priceCeiling, Math.max(slot.sku.priceFloor, toShelfEnding(slot.listPrice * ratio)));
  };

  const history: Omit<LegacyHistory, 'finalLots' | 'simulation' | 'today'> = {
    startDate,
    endDate,
    sales: [],
    waste: [],
    observations: [],
    accounting: [],
    promotions: promotions.filter((promotion) => promotion.endDate >= startDate),
    listPriceChanges,
  };
  for (let day = 0; day < totalDays; day++) {
    const result = simulation.runDay(price);
    if (day < warmupDays) continue;
    for (const sale of result.sales) history.sales.push(sale);
    for (const waste of result.waste) history.waste.push(waste);
    for (const observation of result.observations) history.observations.push(observation);
    for (const row of result.accounting) history.accounting.push(row);
  }
  const today = simulation.openDay();
  return { ...history, finalLots: today.slots.flatMap((slot) => slot.lots), simulation, today };
}

function schedulePromotions(retailer: DemoRetailer, firstDate: string, totalDays: number, random: SeededRandom): Promotion[] {
  const promotions: Promotion[] = [];
  const indexes = retailer.skus.map((_, index) => index);
  for (let weekStart = 0; weekStart < totalDays; weekStart += 7) {
    const count = Math.round(random.uniform(PROMOTED_SHARE[0], PROMOTED_SHARE[1]) * retailer.skus.length);
    for (const skuIndex of random.shuffle(indexes).slice(0, count)) {
      const length = random.int(PROMOTION_DAYS[0], PROMOTION_DAYS[1]);
      const start = weekStart + random.int(0, 7 - length);
      promotions.push({
        skuCode: (retailer.skus[skuIndex] as DemoSku).code,
        startDate: addDays(firstDate, start),
        endDate: addDays(firstDate, start + length - 1),
        discountPct: random.pick(PROMOTION_PCTS),
      });
    }
  }
  return promotions;
}

function scheduleListPriceChanges(retailer: DemoRetailer, firstDate: string, totalDays: number, random: SeededRandom): ListPriceChange[] {
  const changes: ListPriceChange[] = [];
  for (const sku of retailer.skus) {
    if (random.next() >= LIST_CHANGE_SHARE) continue;
    const factor = random.next() < 0.5 ? random.uniform(0.86, 0.95) : random.uniform(1.05, 1.14);
    const previousListPrice = snapToPriceEnding(sku.listPrice * factor);
    const effectiveDay = random.int(1, totalDays - 1);
    // Keep the old list price sensible today: within the ceiling and at least a 20 % margin.
    if (previousListPrice === sku.listPrice || previousListPrice > sku.priceCeiling || previousListPrice * 0.8 < sku.unitCost) continue;
    changes.push({ skuCode: sku.code, effectiveDate: addDays(firstDate, effectiveDay), previousListPrice, listPrice: sku.listPrice });
  }
  return changes;
}

/** The deepest promotion on a SKU on a simulation day (0 when none), as a dense day × SKU table. */
function promotionLookup(retailer: DemoRetailer, promotions: readonly Promotion[], firstDate: string, totalDays: number): (day: number, skuIndex: number) => number {
  const skuCount = retailer.skus.length;
  const table = new Float32Array((totalDays + 1) * skuCount);
  const dayOf = new Map<string, number>();
  for (let day = 0; day <= totalDays; day++) dayOf.set(addDays(firstDate, day), day);
  for (const promotion of promotions) {
    const skuIndex = retailer.skuIndex(promotion.skuCode);
    for (let day = dayOf.get(promotion.startDate) ?? 0; day <= totalDays && addDays(firstDate, day) <= promotion.endDate; day++) {
      const cell = day * skuCount + skuIndex;
      table[cell] = Math.max(table[cell] as number, promotion.discountPct);
    }
  }
  return (day, skuIndex) => (day <= totalDays ? (table[day * skuCount + skuIndex] as number) : 0);
}
