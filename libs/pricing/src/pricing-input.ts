import { DomainError } from '@dynaprice/kernel';
import type { DemandContext } from './demand-features';
import type { ResolvedGuardrails } from './guardrails';
import { DEFAULT_MARKDOWN_LADDER, validateMarkdownLadder, type MarkdownStep } from './legacy-price';
import type { PriceOverride } from './overrides';

/** How a unit is priced: the legacy markdown rule, or a model version. `name` is the experiment variant recorded. */
export type PricingVariant =
  | { readonly kind: 'legacy'; readonly name: string }
  | { readonly kind: 'model'; readonly name: string; readonly modelVersion: string };

/** The catalog facts of a SKU that pricing needs beyond the demand context (which carries list price, category, shelf life). */
export interface SkuPricingTerms {
  readonly code: string;
  readonly unitCost: number;
  readonly salvageValue?: number | null;
  readonly priceFloor?: number | null;
  readonly priceCeiling?: number | null;
}

/**
 * Everything that prices one store × SKU. Deliberately nothing about who asks: the `never` fields make
 * the compiler refuse an object that carries a customer, session, segment or channel, so the API has
 * to keep those apart (see PriceRequest) and they cannot reach the price.
 */
export interface PricingInput {
  readonly storeId: string;
  readonly sku: SkuPricingTerms;
  /** The demand model's context (list price, days to expiry, stock, expiring units, day of week, …). */
  readonly context: DemandContext;
  readonly guardrails: ResolvedGuardrails;
  /** `activeOverride(…)` for this store × SKU at pricing time. */
  readonly override: PriceOverride | null;
  /** The last price decided for this store × SKU; freeze keeps it. */
  readonly lastPrice: number | null;
  /**
   * The price in force at the start of the store's day: max change per day is measured against it, so
   * repeated decisions within a day cannot ratchet. Defaults to lastPrice.
   */
  readonly openingPrice?: number | null;
  readonly variant: PricingVariant;

  readonly customerId?: never;
  readonly customerSegment?: never;
  readonly segment?: never;
  readonly sessionId?: never;
  readonly channel?: never;
}

/** Who asked: recorded with the decision (hashed ids), never an input of the price. */
export interface PriceRequester {
  readonly customerId?: string | null;
  readonly sessionId?: string | null;
  readonly segment?: string | null;
  readonly channel?: string | null;
}

/** One basket line as the API holds it: the pricing input and, apart from it, the requester for the audit trail. */
export interface PriceRequest {
  readonly pricing: PricingInput;
  readonly requester: PriceRequester;
}

/** The candidate ladder: ratios of the list price, from minRatio to maxRatio in steps of stepRatio. */
export interface PriceLadderOptions {
  readonly minRatio: number;
  readonly maxRatio: number;
  readonly stepRatio: number;
}

export const DEFAULT_PRICE_LADDER: PriceLadderOptions = Object.freeze({ minRatio: 0.4, maxRatio: 1.2, stepRatio: 0.02 });
export const DEFAULT_RUNNERS_UP = 3;
const MAX_LADDER_POINTS = 400;

export interface PricingConfig {
  readonly ladder?: Partial<PriceLadderOptions>;
  readonly markdownLadder?: readonly MarkdownStep[];
  /** How many other candidates a decision explains (runner-ups). */
  readonly runnersUp?: number;
}

/** A validated PricingConfig; build it once (resolvePricingConfig) and pass it to every call. */
export interface ResolvedPricingConfig {
  readonly ladder: PriceLadderOptions;
  /** The ladder's ratios, ascending. */
  readonly ratios: Float64Array;
  readonly markdownLadder: readonly MarkdownStep[];
  readonly runnersUp: number;
  /** Stable text of the settings, part of every decision fingerprint. */
  readonly key: string;
}

export function resolvePricingConfig(config: PricingConfig = {}): ResolvedPricingConfig {
  const ladder = { ...DEFAULT_PRICE_LADDER, ...config.ladder };
  const { minRatio, maxRatio, stepRatio } = ladder;
  if (!(minRatio > 0 && minRatio <= 10)) throw DomainError.validation('ladder.minRatio', 'must be above 0 and at most 10');
  if (!(maxRatio >= minRatio && maxRatio <= 10)) throw DomainError.validation('ladder.maxRatio', 'must be at least minRatio and at most 10');
  if (!(stepRatio > 0)) throw DomainError.validation('ladder.stepRatio', 'must be above 0');
  const steps = Math.floor((maxRatio - minRatio) / stepRatio + 1e-9);
  if (steps + 2 > MAX_LADDER_POINTS) throw DomainError.validation('ladder.stepRatio', `gives more than ${MAX_LADDER_POINTS} candidates`);
  const values: number[] = [];
  for (let i = 0; i <= steps; i++) values.push(minRatio + i * stepRatio);
  if (maxRatio - (values[values.length - 1] ?? 0) > 1e-9) values.push(maxRatio);

  const markdownLadder = config.markdownLadder ?? DEFAULT_MARKDOWN_LADDER;
  validateMarkdownLadder(markdownLadder);
  const runnersUp = config.runnersUp ?? DEFAULT_RUNNERS_UP;
  if (!(Number.isInteger(runnersUp) && runnersUp >= 0 && runnersUp <= 20)) throw DomainError.validation('runnersUp', 'must be a whole number from 0 to 20');

  const key = [
    `ladder=${minRatio},${maxRatio},${stepRatio}`,
    `markdown=${markdownLadder.map((step) => `${step.daysToExpiry}:${step.discountPct}`).join(',')}`,
  ].join(';');
  return Object.freeze({ ladder: Object.freeze(ladder), ratios: Float64Array.from(values), markdownLadder, runnersUp, key });
}

export const DEFAULT_PRICING_CONFIG: ResolvedPricingConfig = resolvePricingConfig();
