import { addDays, dayOfWeekAt, DomainError, instantAtLocalTime, roundToCents, SeededRandom, toLocalDate } from '@dynaprice/kernel';
import {
  buildDemandContext,
  MS_PER_DAY,
  VELOCITY_WINDOW_DAYS,
  summariseRecentSales,
  type DemandContext,
  type ProductCategory,
  type RecentSale,
  type RecentSalesSummary,
} from '@dynaprice/pricing';
import { demandQuantile } from './demand-distribution';
import { DAY_OF_WEEK_FACTORS, type DemoRetailer, type DemoSku, type DemoStore } from './retailer';
import { mixSeed } from './seed-mix';

/**
 * The simulated day, in each store's own time zone:
 * - 05:00 deliveries arrive (`receivedAt`);
 * - 06:00 pricing time: the demand context is computed and one price per store × SKU is set for the day;
 * - 08:00–21:00 customers buy at that price, oldest lot first (FIFO), never more than is on hand;
 * - 00:00 a lot expires: `expiresAt` is local midnight after its last sellable day, so a lot received
 *   on day D with shelf life L sells on days D … D+L−1 (`daysToExpiry` at pricing time: L … 1) and
 *   whatever is left becomes waste at that midnight.
 */
export const DELIVERY_HOUR = 5;
export const PRICING_HOUR = 6;
export const OPENING_HOUR = 8;
export const CLOSING_HOUR = 21;

/** Order-up-to replenishment of one category. */
export interface ReplenishmentPolicy {
  /** A delivery every this many days (1 = daily); stores are staggered. */
  everyDays: number;
  /**
   * Stock is topped up to forecast × (the day-of-week weights of the `everyDays` days the delivery
   * covers + safetyDays): the planner knows the weekly pattern, not the rest of the truth.
   */
  safetyDays: number;
}

export const DEFAULT_REPLENISHMENT: Readonly<Record<ProductCategory, ReplenishmentPolicy>> = {
  produce: { everyDays: 1, safetyDays: 0.65 },
  bakery: { everyDays: 1, safetyDays: 0.5 },
  dairy: { everyDays: 3, safetyDays: 1.1 },
  meat: { everyDays: 2, safetyDays: 0.7 },
  ready_meals: { everyDays: 1, safetyDays: 0.6 },
};

/** Weight of the planner's own estimate against recent sales in the order forecast. */
const PLAN_WEIGHT = 0.5;
const LOYALTY_SHARE = 0.35;
const CUSTOMERS_PER_STORE = 5000;

export interface InventoryLot {
  lotId: string;
  storeId: string;
  skuCode: string;
  quantity: number;
  receivedAt: Date;
  expiresAt: Date;
}

/** A sale as POS reports it to the API. */
export interface SaleEvent {
  idempotencyKey: string;
  storeId: string;
  skuCode: string;
  quantity: number;
  unitPrice: number;
  soldAt: Date;
  customerId?: string;
  segment?: string;
}

export interface WasteEvent {
  idempotencyKey: string;
  storeId: string;
  skuCode: string;
  quantity: number;
  unitCost: number;
  wastedAt: Date;
  reason: 'expired';
}

/** One store × SKU × day, for training the demand model. */
export interface TrainingObservation {
  day: number;
  /** Local calendar date of the store. */
  date: string;
  storeId: string;
  skuCode: string;
  pricingAt: Date;
  price: number;
  listPrice: number;
  unitCost: number;
  context: DemandContext;
  /** Units sold: demand censored by stock. */
  unitsSold: number;
  /** Units that expired unsold at the end of the day. */
  wasteUnits: number;
  /** Demand was larger than the stock (the API cannot see this; the simulation can). */
  stockOut: boolean;
  /** Truth, for evaluation only (never a feature): expected demand at this price. */
  trueExpectedDemand: number;
}

/** Profit of one store × SKU × day. */
export interface DailyAccounting {
  day: number;
  date: string;
  storeId: string;
  skuCode: string;
  price: number;
  unitsSold: number;
  revenue: number;
  costOfGoodsSold: number;
  wasteUnits: number;
  /** Waste units × (unit cost − salvage value). */
  wasteCost: number;
  /** Revenue − cost of goods sold − waste cost. */
  grossMarginAfterWaste: number;
}

/** One store × SKU at pricing time: what a pricer may look at. */
export interface SlotState {
  day: number;
  date: string;
  storeId: string;
  skuCode: string;
  storeIndex: number;
  skuIndex: number;
  sku: DemoSku;
  pricingAt: Date;
  listPrice: number;
  deliveredUnits: number;
  /** Lots on hand, oldest first. */
  lots: readonly InventoryLot[];
  context: DemandContext;
}

export interface OpenDay {
  day: number;
  date: string;
  slots: readonly SlotState[];
}

export interface DayResult {
  day: number;
  date: string;
  sales: SaleEvent[];
  waste: WasteEvent[];
  observations: TrainingObservation[];
  accounting: DailyAccounting[];
}

/** Per store × SKU unit flow since the simulation began. */
export interface InventoryLedger {
  storeId: string;
  skuCode: string;
  deliveredUnits: number;
  soldUnits: number;
  wastedUnits: number;
  onHandUnits: number;
}

/** Prices for the day: a function of the slot, or a map keyed by `slotKey(storeId, skuCode)`. */
export type PriceSource = ((slot: SlotState) => number) | ReadonlyMap<string, number>;

export function slotKey(storeId: string, skuCode: string): string {
  return `${storeId}/${skuCode}`;
}

export interface MarketSimulationOptions {
  retailer: DemoRetailer;
  /** Local calendar date of day 0 ('YYYY-MM-DD'; a Date is read in UTC). */
  startDate: Date | string;
  seed: number;
  replenishment?: Partial<Record<ProductCategory, ReplenishmentPolicy>>;
  /** The list price in force on a date (default: the catalog's). */
  listPrice?: (sku: DemoSku, date: string) => number;
}

interface Lot {
  lotId: string;
  quantity: number;
  receivedAt: Date;
  expiresAt: Date;
}

/** A sale as the recent-sales features need it (timestamps as epoch ms: cheaper to scan). */
interface SaleRecord extends RecentSale {
  soldAt: number;
}

interface Slot {
  storeIndex: number;
  skuIndex: number;
  store: DemoStore;
  sku: DemoSku;
  policy: ReplenishmentPolicy;
  /** The planner's standing estimate of daily sales (the truth at list price, with an error). */
  plannedDaily: number;
  lots: Lot[];
  recentSales: SaleRecord[];
  delivered: number;
  sold: number;
  wasted: number;
}

interface StoreDay {
  day: number;
  date: string;
  storeIndex: number;
  pricingAt: number;
  deliveryAt: number;
  closesAt: number;
  dayOfWeek: number;
}

interface Opened {
  day: number;
  date: string;
  storeDays: StoreDay[];
  slots: SlotState[];
}

/**
 * Day-by-day inventory and demand of the demo retailer. Each day: `openDay()` (deliveries, demand
 * contexts at pricing time), then `closeDay(prices)` (customers, FIFO sales, expiry). The pricer can
 * be anything, including the real API between the two calls. Deterministic from `seed`; each
 * store × SKU × day draws from its own random stream.
 */
export class MarketSimulation {
  readonly retailer: DemoRetailer;
  readonly seed: number;
  readonly startDate: string;
  private readonly slots: Slot[] = [];
  private readonly listPriceOf: (sku: DemoSku, date: string) => number;
  /** Per store: local midnight starting each simulation day (by day index). */
  private readonly midnights: Map<number, number>[];
  private readonly dates: string[] = [];
  private nextDay = 0;
  private opened: Opened | null = null;

  constructor(options: MarketSimulationOptions) {
    if (!Number.isInteger(options.seed)) throw DomainError.validation('seed', 'must be a whole number');
    this.retailer = options.retailer;
    this.seed = options.seed;
    this.startDate = toLocalDate(options.startDate, 'startDate');
    this.listPriceOf = options.listPrice ?? ((sku) => sku.listPrice);
    this.midnights = options.retailer.stores.map(() => new Map());
    const planning = new SeededRandom(mixSeed(options.seed, 0x91a2));
    const { stores, skus, truth } = options.retailer;
    stores.forEach((store, storeIndex) => {
      skus.forEach((sku, skuIndex) => {
        const policy = options.replenishment?.[sku.category] ?? DEFAULT_REPLENISHMENT[sku.category];
        if (!(Number.isInteger(policy.everyDays) && policy.everyDays >= 1 && policy.safetyDays >= 0)) {
          throw DomainError.validation(`replenishment.${sku.category}`, 'everyDays must be a whole number ≥ 1 and safetyDays ≥ 0');
        }
        this.slots.push({
          storeIndex,
          skuIndex,
          store,
          sku,
          policy,
          plannedDaily: truth.paramsAt(storeIndex, skuIndex).baseDailyUnits * Math.exp(planning.normal(0, 0.2)),
          lots: [],
          recentSales: [],
          delivered: 0,
          sold: 0,
          wasted: 0,
        });
      });
    });
  }

  /** Index of the day the next `openDay()` opens (or the open day). */
  get day(): number {
    return this.opened?.day ?? this.nextDay;
  }

  /** Local calendar date of a simulation day. */
  dateOf(day: number): string {
    if (day < 0) return addDays(this.startDate, day);
    for (let next = this.dates.length; next <= day; next++) this.dates.push(addDays(this.startDate, next));
    return this.dates[day] as string;
  }

  /** Morning: expire nothing (that happened at midnight), receive deliveries, compute contexts. */
  openDay(): OpenDay {
    if (this.opened) throw DomainError.conflict(`day ${this.opened.day} is open: close it before opening the next`);
    const day = this.nextDay;
    const date = this.dateOf(day);
    const storeDays = this.retailer.stores.map((store, storeIndex) => this.storeDay(store, storeIndex, day));
    const listPrices = this.retailer.skus.map((sku) => this.listPriceOf(sku, date));
    const slots: SlotState[] = [];
    for (const slot of this.slots) {
      const storeDay = storeDays[slot.storeIndex] as StoreDay;
      const listPrice = listPrices[slot.skuIndex] as number;
      const windowStart = storeDay.pricingAt - VELOCITY_WINDOW_DAYS * MS_PER_DAY;
      let stale = 0;
      while (stale < slot.recentSales.length && (slot.recentSales[stale] as SaleRecord).soldAt < windowStart) stale++;
      if (stale > 0) slot.recentSales.splice(0, stale);
      const recent = summariseRecentSales(slot.recentSales, listPrice, storeDay.pricingAt);
      const deliveredUnits = this.replenish(slot, day, storeDay, recent);
      const context = buildDemandContext({
        category: slot.sku.category,
        shelfLifeDays: slot.sku.shelfLifeDays,
        listPrice,
        lots: slot.lots,
        pricingAt: storeDay.pricingAt,
        dayOfWeek: storeDay.dayOfWeek,
        recent,
      });
      slots.push({
        day,
        date,
        storeId: slot.store.id,
        skuCode: slot.sku.code,
        storeIndex: slot.storeIndex,
        skuIndex: slot.skuIndex,
        sku: slot.sku,
        pricingAt: new Date(storeDay.pricingAt),
        listPrice,
        deliveredUnits,
        lots: slot.lots.map((lot) => this.lotView(slot, lot)),
        context,
      });
    }
    this.opened = { day, date, storeDays, slots };
    return { day, date, slots };
  }

  /** The day's trading at the given prices, then midnight expiry. */
  closeDay(prices: PriceSource): DayResult {
    const opened = this.opened;
    if (!opened) throw DomainError.conflict('no day is open: call openDay() first');
    const priceOf = typeof prices === 'function' ? prices : (state: SlotState) => priceFromMap(prices, state);
    const quoted = opened.slots.map((state) => {
      const price = priceOf(state);
      if (!(Number.isFinite(price) && price > 0)) {
        throw DomainError.validation(`prices[${slotKey(state.storeId, state.skuCode)}]`, 'must be a positive amount');
      }
      return roundToCents(price);
    });

    const result: DayResult = { day: opened.day, date: opened.date, sales: [], waste: [], observations: [], accounting: [] };
    opened.slots.forEach((state, index) => {
      this.trade(this.slots[index] as Slot, state, quoted[index] as number, opened.storeDays[state.storeIndex] as StoreDay, result);
    });
    this.opened = null;
    this.nextDay = opened.day + 1;
    return result;
  }

  /** `openDay()` then `closeDay(prices)`. */
  runDay(prices: PriceSource): DayResult {
    this.openDay();
    return this.closeDay(prices);
  }

  /** Lots on hand for one store × SKU, oldest first. */
  lots(storeId: string, skuCode: string): InventoryLot[] {
    const slot = this.slotOf(storeId, skuCode);
    return slot.lots.map((lot) => this.lotView(slot, lot));
  }

  /** Every lot on hand, by store then SKU, oldest first. */
  allLots(): InventoryLot[] {
    return this.slots.flatMap((slot) => slot.lots.map((lot) => this.lotView(slot, lot)));
  }

  ledger(): InventoryLedger[] {
    return this.slots.map((slot) => ({
      storeId: slot.store.id,
      skuCode: slot.sku.code,
      deliveredUnits: slot.delivered,
      soldUnits: slot.sold,
      wastedUnits: slot.wasted,
      onHandUnits: slot.lots.reduce((sum, lot) => sum + lot.quantity, 0),
    }));
  }

  private slotOf(storeId: string, skuCode: string): Slot {
    const index = this.retailer.storeIndex(storeId) * this.retailer.skus.length + this.retailer.skuIndex(skuCode);
    return this.slots[index] as Slot;
  }

  private storeDay(store: DemoStore, storeIndex: number, day: number): StoreDay {
    const date = this.dateOf(day);
    const pricingAt = +instantAtLocalTime(date, PRICING_HOUR, 0, store.timezone);
    return {
      day,
      date,
      storeIndex,
      pricingAt,
      deliveryAt: +instantAtLocalTime(date, DELIVERY_HOUR, 0, store.timezone),
      closesAt: this.midnight(storeIndex, day + 1),
      dayOfWeek: dayOfWeekAt(pricingAt, store.timezone),
    };
  }

  /** Local 00:00 starting simulation day `day` in the store's zone (cached). */
  private midnight(storeIndex: number, day: number): number {
    const cache = this.midnights[storeIndex] as Map<number, number>;
    let instant = cache.get(day);
    if (instant === undefined) {
      instant = +instantAtLocalTime(this.dateOf(day), 0, 0, (this.retailer.stores[storeIndex] as DemoStore).timezone);
      cache.set(day, instant);
    }
    return instant;
  }

  /** Order-up-to delivery on the slot's delivery days; returns the units received. */
  private replenish(slot: Slot, day: number, storeDay: StoreDay, recent: RecentSalesSummary): number {
    const { everyDays, safetyDays } = slot.policy;
    // Day 0 stocks every shelf; after that, stores take deliveries on staggered days.
    if (day > 0 && (day + slot.storeIndex) % everyDays !== 0) return 0;
    const hasHistory = day >= VELOCITY_WINDOW_DAYS;
    const forecast = hasHistory ? (1 - PLAN_WEIGHT) * recent.velocity7d + PLAN_WEIGHT * slot.plannedDaily : slot.plannedDaily;
    const weekly = DAY_OF_WEEK_FACTORS[slot.sku.category];
    let coverDays = safetyDays;
    for (let i = 0; i < everyDays; i++) coverDays += weekly[(storeDay.dayOfWeek + i) % 7] as number;
    const onHand = slot.lots.reduce((sum, lot) => sum + lot.quantity, 0);
    const quantity = Math.max(0, Math.ceil(forecast * coverDays - onHand));
    if (quantity === 0) return 0;
    const lot: Lot = {
      lotId: `L-${slot.store.id}-${slot.sku.code}-${storeDay.date}`,
      quantity,
      receivedAt: new Date(storeDay.deliveryAt),
      expiresAt: new Date(this.midnight(storeDay.storeIndex, day + slot.sku.shelfLifeDays)),
    };
    slot.lots.push(lot);
    if (slot.lots.length > 1 && +(slot.lots[slot.lots.length - 2] as Lot).expiresAt > +lot.expiresAt) {
      slot.lots.sort((a, b) => +a.expiresAt - +b.expiresAt || +a.receivedAt - +b.receivedAt);
    }
    slot.delivered += quantity;
    return quantity;
  }

  private trade(slot: Slot, state: SlotState, price: number, storeDay: StoreDay, out: DayResult): void {
    const { context, sku } = state;
    const random = new SeededRandom(mixSeed(this.seed, state.day, slot.storeIndex, slot.skuIndex));
    const { truth } = this.retailer;
    const expected = truth.expectedDemandAt(slot.storeIndex, slot.skuIndex, price, context.daysToExpiry, context.dayOfWeek);
    const demand = demandQuantile(expected, truth.paramsAt(slot.storeIndex, slot.skuIndex).dispersion, random.next());
    const unitsSold = Math.min(demand, context.stockUnits);

    // FIFO: the oldest lots go first.
    let toTake = unitsSold;
    for (const lot of slot.lots) {
      if (toTake === 0) break;
      const taken = Math.min(lot.quantity, toTake);
      lot.quantity -= taken;
      toTake -= taken;
    }
    slot.lots = slot.lots.filter((lot) => lot.quantity > 0);
    slot.sold += unitsSold;
    this.emitSales(slot, state, price, unitsSold, storeDay, random, out.sales);

    // Midnight: lots whose last sellable day was today are waste.
    let wasteUnits = 0;
    let wasteIndex = 0;
    const keep: Lot[] = [];
    for (const lot of slot.lots) {
      if (+lot.expiresAt > storeDay.closesAt) {
        keep.push(lot);
        continue;
      }
      wasteUnits += lot.quantity;
      out.waste.push({
        idempotencyKey: `${this.keyPrefix(state)}-W${++wasteIndex}`,
        storeId: state.storeId,
        skuCode: state.skuCode,
        quantity: lot.quantity,
        unitCost: sku.unitCost,
        wastedAt: lot.expiresAt,
        reason: 'expired',
      });
    }
    slot.lots = keep;
    slot.wasted += wasteUnits;

    out.observations.push({
      day: state.day,
      date: state.date,
      storeId: state.storeId,
      skuCode: state.skuCode,
      pricingAt: state.pricingAt,
      price,
      listPrice: state.listPrice,
      unitCost: sku.unitCost,
      context,
      unitsSold,
      wasteUnits,
      stockOut: demand > context.stockUnits,
      trueExpectedDemand: expected,
    });
    const revenue = roundToCents(unitsSold * price);
    const costOfGoodsSold = roundToCents(unitsSold * sku.unitCost);
    const wasteCost = roundToCents(wasteUnits * (sku.unitCost - sku.salvageValue));
    out.accounting.push({
      day: state.day,
      date: state.date,
      storeId: state.storeId,
      skuCode: state.skuCode,
      price,
      unitsSold,
      revenue,
      costOfGoodsSold,
      wasteUnits,
      wasteCost,
      grossMarginAfterWaste: roundToCents(revenue - costOfGoodsSold - wasteCost),
    });
  }

  /** Splits the day's units into 1–3-unit transactions at random times within opening hours. */
  private emitSales(slot: Slot, state: SlotState, price: number, units: number, storeDay: StoreDay, random: SeededRandom, out: SaleEvent[]): void {
    if (units === 0) return;
    const quantities: number[] = [];
    for (let left = units; left > 0; ) {
      const roll = random.next();
      const quantity = Math.min(left, roll < 0.55 ? 1 : roll < 0.85 ? 2 : 3);
      quantities.push(quantity);
      left -= quantity;
    }
    const opensAt = storeDay.pricingAt + (OPENING_HOUR - PRICING_HOUR) * 3_600_000;
    const openMs = (CLOSING_HOUR - OPENING_HOUR) * 3_600_000;
    const times = quantities.map(() => opensAt + Math.floor((random.next() * openMs) / 1000) * 1000).sort((a, b) => a - b);
    const prefix = this.keyPrefix(state);
    quantities.forEach((quantity, index) => {
      const sale: SaleEvent = {
        idempotencyKey: `${prefix}-S${index + 1}`,
        storeId: state.storeId,
        skuCode: state.skuCode,
        quantity,
        unitPrice: price,
        soldAt: new Date(times[index] as number),
      };
      if (random.next() < LOYALTY_SHARE) {
        const customer = slot.storeIndex * CUSTOMERS_PER_STORE + random.int(1, CUSTOMERS_PER_STORE);
        sale.customerId = `C${String(customer).padStart(6, '0')}`;
        sale.segment = loyaltyTier(this.retailer.seed, customer);
      }
      out.push(sale);
      slot.recentSales.push({ soldAt: times[index] as number, quantity, unitPrice: price });
    });
  }

  private keyPrefix(state: SlotState): string {
    return `sim${this.seed}-${state.date}-${state.storeId}-${state.skuCode}`;
  }

  /** A snapshot of a lot (its dates are shared with the simulation: do not mutate them). */
  private lotView(slot: Slot, lot: Lot): InventoryLot {
    return {
      lotId: lot.lotId,
      storeId: slot.store.id,
      skuCode: slot.sku.code,
      quantity: lot.quantity,
      receivedAt: lot.receivedAt,
      expiresAt: lot.expiresAt,
    };
  }
}

export type LoyaltyTier = 'bronze' | 'silver' | 'gold';

/** A loyalty customer's tier: fixed per customer (60 % bronze, 30 % silver, 10 % gold). */
export function loyaltyTier(retailerSeed: number, customerNumber: number): LoyaltyTier {
  const roll = mixSeed(retailerSeed, customerNumber, 0x7ee7) % 100;
  return roll < 60 ? 'bronze' : roll < 90 ? 'silver' : 'gold';
}

function priceFromMap(prices: ReadonlyMap<string, number>, state: SlotState): number {
  const key = slotKey(state.storeId, state.skuCode);
  const price = prices.get(key);
  if (price === undefined) throw DomainError.validation(`prices[${key}]`, 'is missing');
  return price;
}
