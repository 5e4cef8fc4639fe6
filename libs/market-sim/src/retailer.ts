import { DomainError, roundToCents, SeededRandom } from '@dynaprice/kernel';
import { PRODUCT_CATEGORIES, type ProductCategory } from '@dynaprice/pricing';
import { PRODUCT_TEMPLATES, RETAILER_BRAND, STORE_TEMPLATES, VARIANT_PREFIXES, type IncomeBand } from './catalog-data';
import { mixSeed } from './seed-mix';

export type { IncomeBand } from './catalog-data';

/** A store as the catalog API knows it (no demand truth in here). */
export interface DemoStore {
  id: string;
  name: string;
  region: string;
  cluster: string;
  /** IANA time zone: days, day of week and opening hours are local to it. */
  timezone: string;
  /** Segment attributes for the fairness audit; never a pricing input. */
  attributes: { incomeBand: IncomeBand };
}

/** A SKU as the catalog API knows it. Money in the retailer currency, cents. */
export interface DemoSku {
  code: string;
  name: string;
  category: ProductCategory;
  unitCost: number;
  listPrice: number;
  shelfLifeDays: number;
  /** Recovered per wasted unit (donation credit, animal feed). */
  salvageValue: number;
  priceFloor: number;
  priceCeiling: number;
}

/** The true demand of one store × SKU. Known only to the simulation and the oracle. */
export interface DemandParams {
  /** Mean units a day at the reference price, with fresh stock, on an average day of the week. */
  baseDailyUnits: number;
  /** Constant own-price elasticity, in [−3.5, −1.2]: demand ∝ (price / referencePrice)^elasticity. */
  elasticity: number;
  /** The catalog list price: what customers judge a price against. */
  referencePrice: number;
  /** Share of demand lost when the offered lot is on its last day (see `expiryMultiplier`). */
  expiryDepth: number;
  /** Negative binomial size of daily demand: variance = mean + mean² / dispersion. */
  dispersion: number;
  shelfLifeDays: number;
  category: ProductCategory;
}

/** The demo retailer's shelf labels end in .x9: its global guardrail, and the benchmarks'. */
export const DEMO_PRICE_ENDINGS: readonly string[] = ['.09', '.19', '.29', '.39', '.49', '.59', '.69', '.79', '.89', '.99'];

export const MIN_ELASTICITY = -3.5;
export const MAX_ELASTICITY = -1.2;

/** How fast the near-expiry penalty fades with each extra day left. */
const EXPIRY_DECAY_PER_DAY = 0.9;

interface CategoryTruth {
  /** Typical units a day per store at list price. */
  baseUnits: number;
  elasticityMean: number;
  shelfLife: readonly (readonly [days: number, weight: number])[];
  expiryDepth: number;
  /** Negative binomial size of daily demand. */
  dispersion: number;
  /** Sunday … Saturday, before normalisation to a mean of 1. */
  dayOfWeek: readonly number[];
}

const CATEGORY_TRUTH: Readonly<Record<ProductCategory, CategoryTruth>> = {
  produce: {
    baseUnits: 7,
    elasticityMean: -2.3,
    shelfLife: [[3, 1], [4, 1], [5, 1], [6, 1], [7, 1]],
    expiryDepth: 0.55,
    dispersion: 8,
    dayOfWeek: [1.2, 0.85, 0.85, 0.9, 0.95, 1.1, 1.3],
  },
  bakery: {
    baseUnits: 6,
    elasticityMean: -1.9,
    // Same-day goods exist but are rare: the legacy ladder marks a 1-day product down 50 % every day.
    shelfLife: [[1, 0.5], [2, 3.5], [3, 6]],
    expiryDepth: 0.65,
    dispersion: 6,
    dayOfWeek: [1.25, 0.85, 0.85, 0.85, 0.9, 1.05, 1.4],
  },
  dairy: {
    baseUnits: 7,
    elasticityMean: -1.7,
    shelfLife: [[7, 2], [10, 2], [12, 1], [14, 2], [18, 1], [21, 1]],
    expiryDepth: 0.45,
    dispersion: 12,
    dayOfWeek: [1.1, 0.95, 0.95, 0.95, 1.0, 1.05, 1.15],
  },
  meat: {
    baseUnits: 4,
    elasticityMean: -2.5,
    shelfLife: [[3, 1], [4, 1], [5, 1], [6, 1]],
    expiryDepth: 0.65,
    dispersion: 7,
    dayOfWeek: [1.3, 0.8, 0.8, 0.85, 0.95, 1.2, 1.35],
  },
  ready_meals: {
    baseUnits: 5,
    elasticityMean: -2.1,
    shelfLife: [[2, 1], [3, 2], [4, 2]],
    expiryDepth: 0.6,
    dispersion: 7,
    dayOfWeek: [0.9, 1.0, 1.0, 1.05, 1.1, 1.2, 0.95],
  },
};

/** Day-of-week demand multipliers per category, Sunday … Saturday, mean 1. */
export const DAY_OF_WEEK_FACTORS: Readonly<Record<ProductCategory, readonly number[]>> = {
  produce: normaliseToMeanOne(CATEGORY_TRUTH.produce.dayOfWeek),
  bakery: normaliseToMeanOne(CATEGORY_TRUTH.bakery.dayOfWeek),
  dairy: normaliseToMeanOne(CATEGORY_TRUTH.dairy.dayOfWeek),
  meat: normaliseToMeanOne(CATEGORY_TRUTH.meat.dayOfWeek),
  ready_meals: normaliseToMeanOne(CATEGORY_TRUTH.ready_meals.dayOfWeek),
};

function normaliseToMeanOne(values: readonly number[]): number[] {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.map((value) => value / mean);
}

/**
 * Demand multiplier for the age of the offered lot: 1 for a fresh lot (days left ≥ shelf life),
 * falling towards 1 − depth as its days to expiry near 0 (1 − depth at one day left).
 */
export function expiryMultiplier(daysToExpiry: number, shelfLifeDays: number, depth: number): number {
  if (daysToExpiry >= shelfLifeDays) return 1;
  return 1 - depth * Math.exp(-EXPIRY_DECAY_PER_DAY * Math.max(0, daysToExpiry - 1));
}

/**
 * The ground truth of the synthetic retailer. Expected demand of one store × SKU for one day:
 * base × day-of-week(category) × (price / reference)^elasticity × expiry(days left of the offered lot).
 * The base already carries the store's traffic.
 */
export class TrueDemand {
  constructor(
    private readonly skuCount: number,
    private readonly params: readonly DemandParams[],
    private readonly traffic: readonly number[],
  ) {}

  /** By catalog positions (the simulation's hot path): no validation. */
  expectedDemandAt(storeIndex: number, skuIndex: number, price: number, daysToExpiry: number, dayOfWeek: number): number {
    const p = this.params[storeIndex * this.skuCount + skuIndex] as DemandParams;
    return (
      p.baseDailyUnits *
      (DAY_OF_WEEK_FACTORS[p.category][dayOfWeek] ?? 1) *
      Math.pow(price / p.referencePrice, p.elasticity) *
      expiryMultiplier(daysToExpiry, p.shelfLifeDays, p.expiryDepth)
    );
  }

  paramsAt(storeIndex: number, skuIndex: number): DemandParams {
    return this.params[storeIndex * this.skuCount + skuIndex] as DemandParams;
  }

  trafficAt(storeIndex: number): number {
    return this.traffic[storeIndex] as number;
  }
}

/** The demo retailer: a catalog for the API and the demand truth behind it. */
export class DemoRetailer {
  private readonly storeIndexes: ReadonlyMap<string, number>;
  private readonly skuIndexes: ReadonlyMap<string, number>;

  constructor(
    readonly seed: number,
    readonly stores: readonly DemoStore[],
    readonly skus: readonly DemoSku[],
    readonly truth: TrueDemand,
  ) {
    this.storeIndexes = new Map(stores.map((store, index) => [store.id, index]));
    this.skuIndexes = new Map(skus.map((sku, index) => [sku.code, index]));
  }

  storeIndex(storeId: string): number {
    const index = this.storeIndexes.get(storeId);
    if (index === undefined) throw DomainError.notFound('Store', storeId);
    return index;
  }

  skuIndex(skuCode: string): number {
    const index = this.skuIndexes.get(skuCode);
    if (index === undefined) throw DomainError.notFound('SKU', skuCode);
    return index;
  }

  store(storeId: string): DemoStore {
    return this.stores[this.storeIndex(storeId)] as DemoStore;
  }

  sku(skuCode: string): DemoSku {
    return this.skus[this.skuIndex(skuCode)] as DemoSku;
  }

  demandParams(storeId: string, skuCode: string): DemandParams {
    return this.truth.paramsAt(this.storeIndex(storeId), this.skuIndex(skuCode));
  }

  /** Store footfall factor (truth only; not a catalog field). */
  storeTraffic(storeId: string): number {
    return this.truth.trafficAt(this.storeIndex(storeId));
  }

  /**
   * The truth: expected units one store sells of one SKU in a day at `price`, when the lot on
   * offer has `daysToExpiry` days left, on `dayOfWeek` (0 = Sunday, store time). Unconstrained by stock.
   */
  expectedDemand(storeId: string, skuCode: string, price: number, daysToExpiry: number, dayOfWeek: number): number {
    if (!(Number.isFinite(price) && price > 0)) throw DomainError.validation('price', 'must be a positive amount');
    if (!(Number.isInteger(dayOfWeek) && dayOfWeek >= 0 && dayOfWeek <= 6)) {
      throw DomainError.validation('dayOfWeek', 'must be a whole number from 0 (Sunday) to 6 (Saturday)');
    }
    if (!(daysToExpiry >= 0)) throw DomainError.validation('daysToExpiry', 'must be at least 0');
    return this.truth.expectedDemandAt(this.storeIndex(storeId), this.skuIndex(skuCode), price, daysToExpiry, dayOfWeek);
  }
}

export interface DemoRetailerOptions {
  seed?: number;
  stores?: number;
  skusPerCategory?: number;
}

export const DEFAULT_RETAILER_SEED = 20_240_601;
export const DEFAULT_STORE_COUNT = 5;
export const DEFAULT_SKUS_PER_CATEGORY = 30;
export const MIN_MARGIN_AT_LIST = 0.25;
export const MAX_MARGIN_AT_LIST = 0.45;

function requireCount(value: number, field: string, max: number): void {
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw DomainError.validation(field, `must be a whole number from 1 to ${max}`);
  }
}

/** A shelf price ending in .49 or .99 nearest to `amount` (never below 0.49). */
export function snapToPriceEnding(amount: number): number {
  const whole = Math.floor(amount);
  const candidates = [whole - 0.01, whole + 0.49, whole + 0.99].filter((value) => value >= 0.49);
  let best = 0.49;
  for (const candidate of candidates) if (Math.abs(candidate - amount) < Math.abs(best - amount)) best = candidate;
  return roundToCents(best);
}

function weightedPick(random: SeededRandom, options: readonly (readonly [number, number])[]): number {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (options[options.length - 1] as readonly [number, number])[0];
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

const INCOME_ELASTICITY_SHIFT: Readonly<Record<IncomeBand, number>> = { low: -0.3, middle: 0, high: 0.25 };

/**
 * A deterministic synthetic retailer: `stores` stores (default 5) and `skusPerCategory` SKUs in
 * each of the five categories (default 30, so 150), with the true demand of every store × SKU.
 */
export function buildDemoRetailer(options: DemoRetailerOptions = {}): DemoRetailer {
  const seed = options.seed ?? DEFAULT_RETAILER_SEED;
  const storeCount = options.stores ?? DEFAULT_STORE_COUNT;
  const skusPerCategory = options.skusPerCategory ?? DEFAULT_SKUS_PER_CATEGORY;
  if (!Number.isInteger(seed)) throw DomainError.validation('seed', 'must be a whole number');
  requireCount(storeCount, 'stores', 99);
  requireCount(skusPerCategory, 'skusPerCategory', 180);

  const random = new SeededRandom(mixSeed(seed, 1));
  const stores: DemoStore[] = [];
  const traffic: number[] = [];
  for (let i = 0; i < storeCount; i++) {
    const template = STORE_TEMPLATES[i % STORE_TEMPLATES.length] as (typeof STORE_TEMPLATES)[number];
    const round = Math.floor(i / STORE_TEMPLATES.length);
    const place = round === 0 ? template.place : `${template.place} ${round + 1}`;
    stores.push({
      id: `S${String(i + 1).padStart(2, '0')}`,
      name: `${RETAILER_BRAND} ${place}`,
      region: template.region,
      cluster: template.cluster,
      timezone: template.timezone,
      attributes: { incomeBand: template.incomeBand },
    });
    traffic.push(template.traffic * random.uniform(0.92, 1.08));
  }

  const skus: DemoSku[] = [];
  const skuBase: number[] = [];
  const skuElasticity: number[] = [];
  const skuExpiryDepth: number[] = [];
  const codeWidth = Math.max(3, String(skusPerCategory * PRODUCT_CATEGORIES.length).length);
  for (const category of PRODUCT_CATEGORIES) {
    const templates = PRODUCT_TEMPLATES[category];
    const truth = CATEGORY_TRUTH[category];
    for (let i = 0; i < skusPerCategory; i++) {
      const [baseName, typicalPrice] = templates[i % templates.length] as (typeof templates)[number];
      const variant = Math.floor(i / templates.length);
      const name = variant === 0 ? baseName : `${VARIANT_PREFIXES[(variant - 1) % VARIANT_PREFIXES.length]} ${baseName}`;
      const premium = variant === 0 ? 1 : 1 + 0.15 * ((variant % 3) - 1);
      const listPrice = snapToPriceEnding(typicalPrice * premium * random.uniform(0.9, 1.12));
      const margin = random.uniform(MIN_MARGIN_AT_LIST + 0.01, MAX_MARGIN_AT_LIST - 0.01);
      const unitCost = roundToCents(listPrice * (1 - margin));
      skus.push({
        code: `PRD-${String(skus.length + 1).padStart(codeWidth, '0')}`,
        name,
        category,
        unitCost,
        listPrice,
        shelfLifeDays: weightedPick(random, truth.shelfLife),
        salvageValue: roundToCents(unitCost * random.uniform(0, 0.1)),
        priceFloor: roundToCents(unitCost * 0.8),
        priceCeiling: roundToCents(listPrice * 1.2),
      });
      // Cheaper items move more units; a lognormal spread gives fast and slow movers.
      skuBase.push(truth.baseUnits * Math.pow(2.5 / listPrice, 0.3) * Math.exp(random.normal(0, 0.4)));
      skuElasticity.push(random.normal(truth.elasticityMean, 0.4));
      skuExpiryDepth.push(clamp(truth.expiryDepth + random.normal(0, 0.06), 0.2, 0.85));
    }
  }

  const params: DemandParams[] = [];
  stores.forEach((store, s) => {
    skus.forEach((sku, k) => {
      const elasticity = clamp(
        (skuElasticity[k] as number) + INCOME_ELASTICITY_SHIFT[store.attributes.incomeBand] + random.normal(0, 0.12),
        MIN_ELASTICITY,
        MAX_ELASTICITY,
      );
      params.push({
        baseDailyUnits: (skuBase[k] as number) * (traffic[s] as number) * Math.exp(random.normal(0, 0.15)),
        elasticity,
        referencePrice: sku.listPrice,
        expiryDepth: skuExpiryDepth[k] as number,
        dispersion: CATEGORY_TRUTH[sku.category].dispersion,
        shelfLifeDays: sku.shelfLifeDays,
        category: sku.category,
      });
    });
  });

  return new DemoRetailer(seed, stores, skus, new TrueDemand(skus.length, params, traffic));
}
