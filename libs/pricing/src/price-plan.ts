import { DomainError } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, writeDemandFeatures } from './demand-features';
import type { ProfitTerms, StockAge } from './expected-profit';
import type { GuardrailLevel } from './guardrails';
import { legacyPrice } from './legacy-price';
import { DEFAULT_PRICING_CONFIG, type PricingInput, type ResolvedPricingConfig } from './pricing-input';

/**
 * Phase 1 of a price request: everything that does not need demand. `planPrice` turns one store × SKU
 * into a PricingPlan: either a price fixed in advance (override, freeze, legacy variant) or a sorted
 * ladder of candidate prices, each allowed or excluded by a named guardrail. The API writes every
 * plan's rows into one feature matrix (`featureBatch`), runs the model once, and hands each plan its
 * slice of the predictions (`decidePrice`, phase 2).
 *
 * PRECEDENCE, strongest first — when guardrails cannot all hold, the weaker one gives way and the
 * price goes to the feasible price nearest to it (recorded in `relaxed`):
 *   1. an admin-forced override (ignores everything below)
 *   2. ceiling (catalog and guardrail, the lower of the two) — a floor above it gives way
 *   3. floor (catalog and guardrail, the higher of the two)
 *   4. an override (clamped to floor / ceiling; ignores everything below)
 *   5. freeze (keeps the last price, else the list price; clamped to floor / ceiling)
 *   6. maximum change per day (against the opening price)
 *   7. minimum margin
 *   8. allowed price endings
 * The legacy variant and the fallback price by the legacy rule clamped to floor / ceiling (and freeze);
 * they do not apply 6–8.
 */

/** Guardrails a candidate can be excluded by, in precedence order (strongest first). */
export const EXCLUSION_REASONS = ['ceiling', 'floor', 'maxChange', 'minMargin', 'endings'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export type GuardrailName = ExclusionReason | 'freeze';
/** What set the final price, when something other than the model's free choice did. */
export type BoundBy = GuardrailName | 'override';
/** Where the binding limit came from: a guardrail level, the SKU's catalog floor / ceiling, or an override. */
export type BoundLevel = GuardrailLevel | 'catalog' | 'override';

/** The model's feasible prices in cents: [loCents, hiCents] (hiCents may be Infinity), and what set each edge. */
export interface FeasibleRegion {
  readonly loCents: number;
  readonly hiCents: number;
  readonly loBy: ExclusionReason | null;
  readonly loLevel: BoundLevel | null;
  readonly hiBy: ExclusionReason | null;
  readonly hiLevel: BoundLevel | null;
  /** Guardrails that could not hold together with stronger ones, strongest first. */
  readonly relaxed: readonly ExclusionReason[];
  readonly endingsRelaxed: boolean;
}

export interface AppliedOverride {
  readonly id: string;
  readonly requestedPrice: number;
  readonly forced: boolean;
  /** The requested price lay outside floor / ceiling and was moved onto it. */
  readonly clamped: boolean;
  readonly reason: string;
}

/** A price settled before demand is known. */
export interface FixedPrice {
  readonly cents: number;
  readonly reason: 'override' | 'guardrail' | 'legacy' | 'fallback';
  readonly boundBy: BoundBy | null;
  readonly boundLevel: BoundLevel | null;
  readonly relaxed: readonly GuardrailName[];
  readonly override: AppliedOverride | null;
}

export interface PricingPlan {
  readonly input: PricingInput;
  readonly config: ResolvedPricingConfig;
  /** Feature rows this plan needs: its candidates (1 for a fixed price, to predict its expected units). */
  readonly size: number;
  /** Candidate prices in cents, ascending, unique. */
  readonly cents: Int32Array;
  /** Per candidate: 0 = allowed, else 1 + index in EXCLUSION_REASONS of the strongest guardrail it breaks. */
  readonly excludedBy: Uint8Array;
  /** Set when the price does not depend on demand (override, freeze, legacy variant). */
  readonly fixed: FixedPrice | null;
  /** The model variant's price when demand is missing or unusable. */
  readonly fallback: FixedPrice;
  /** The model's feasible region; null for a fixed price. */
  readonly region: FeasibleRegion | null;
  readonly legacyPrice: number;
  /** Ties in expected profit go to the candidate nearest this (the last price, else the list price). */
  readonly referenceCents: number;
  readonly terms: ProfitTerms;
}

const EPS_CENTS = 1e-7;

export function toCents(price: number): number {
  return Math.round(price * 100 + (price >= 0 ? 1e-7 : -1e-7));
}

// ---------------------------------------------------------------- allowed endings

interface Endings {
  /** Allowed cents parts, ascending. */
  readonly parts: readonly number[];
  /** mask[c % 100] === 1 when the ending is allowed. */
  readonly mask: Uint8Array;
}

const endingsCache = new Map<string, Endings>();

function parseEndings(endings: readonly string[]): Endings | null {
  if (endings.length === 0) return null;
  const key = endings.join();
  let parsed = endingsCache.get(key);
  if (!parsed) {
    const parts = [...new Set(endings.map((ending) => Number(ending.slice(1))))].sort((a, b) => a - b);
    const mask = new Uint8Array(100);
    for (const part of parts) mask[part] = 1;
    parsed = { parts, mask };
    if (endingsCache.size > 1000) endingsCache.clear();
    endingsCache.set(key, parsed);
  }
  return parsed;
}

/** The allowed price nearest `price` (ties: the lower one), e.g. 2.71 with ['.49', '.99'] → 2.49. */
export function snapToEnding(price: number, endings: readonly string[]): number {
  return snapToEndings(toCents(price), parseEndings(endings)) / 100;
}

/** The allowed price nearest `cents` (ties: the lower), at least 1 cent. */
function snapToEndings(cents: number, endings: Endings | null): number {
  if (!endings) return cents;
  const whole = Math.floor(cents / 100);
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let dollars = whole - 1; dollars <= whole + 1; dollars++) {
    for (const part of endings.parts) {
      const value = dollars * 100 + part;
      if (value < 1) continue;
      const distance = Math.abs(value - cents);
      if (distance < bestDistance) {
        best = value;
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** The smallest allowed price ≥ cents. */
function snapUp(cents: number, endings: Endings): number {
  const whole = Math.floor(cents / 100);
  for (let dollars = whole; ; dollars++) {
    for (const part of endings.parts) {
      const value = dollars * 100 + part;
      if (value >= cents && value >= 1) return value;
    }
  }
}

/** The largest allowed price ≤ cents, or -1 when there is none ≥ 1 cent. */
function snapDown(cents: number, endings: Endings): number {
  const whole = Math.floor(cents / 100);
  for (let dollars = whole; dollars >= 0; dollars--) {
    for (let k = endings.parts.length - 1; k >= 0; k--) {
      const value = dollars * 100 + (endings.parts[k] as number);
      if (value <= cents && value >= 1) return value;
    }
  }
  return -1;
}

// ---------------------------------------------------------------- input checks

function positiveOrNull(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!(Number.isFinite(value) && value > 0)) throw DomainError.validation(field, 'must be a positive amount');
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw DomainError.validation(field, 'must be a finite number ≥ 0');
  return value;
}

function stockAgesOf(ages: readonly StockAge[] | undefined): readonly StockAge[] | undefined {
  if (ages === undefined) return undefined;
  let previous = 0;
  ages.forEach((age, i) => {
    if (!(Number.isInteger(age.daysLeft) && age.daysLeft > previous)) throw DomainError.validation(`context.stockAges[${i}].daysLeft`, 'must be a whole number of days ≥ 1, ascending');
    nonNegative(age.units, `context.stockAges[${i}].units`);
    previous = age.daysLeft;
  });
  return ages;
}

// ---------------------------------------------------------------- floor / ceiling

interface HardLimits {
  lo: number;
  loLevel: BoundLevel | null;
  hi: number;
  hiLevel: BoundLevel | null;
}

function hardLimits(input: PricingInput): HardLimits {
  const { sku, guardrails } = input;
  const catalogFloor = positiveOrNull(sku.priceFloor, 'sku.priceFloor');
  const catalogCeiling = positiveOrNull(sku.priceCeiling, 'sku.priceCeiling');
  const limits: HardLimits = { lo: 1, loLevel: null, hi: Number.POSITIVE_INFINITY, hiLevel: null };
  if (catalogFloor !== null) [limits.lo, limits.loLevel] = [toCents(catalogFloor), 'catalog'];
  if (guardrails.priceFloor !== null && toCents(guardrails.priceFloor) >= limits.lo) {
    [limits.lo, limits.loLevel] = [toCents(guardrails.priceFloor), guardrails.source.priceFloor];
  }
  if (catalogCeiling !== null) [limits.hi, limits.hiLevel] = [toCents(catalogCeiling), 'catalog'];
  if (guardrails.priceCeiling !== null && toCents(guardrails.priceCeiling) <= limits.hi) {
    [limits.hi, limits.hiLevel] = [toCents(guardrails.priceCeiling), guardrails.source.priceCeiling];
  }
  return limits;
}

/** Moves `cents` into [floor, ceiling]; the ceiling wins when the floor lies above it. */
function clampHard(
  cents: number,
  limits: HardLimits,
): { cents: number; boundBy: 'floor' | 'ceiling' | null; level: BoundLevel | null; floorRelaxed: boolean } {
  if (limits.lo > limits.hi) return { cents: limits.hi, boundBy: 'ceiling', level: limits.hiLevel, floorRelaxed: true };
  if (cents > limits.hi) return { cents: limits.hi, boundBy: 'ceiling', level: limits.hiLevel, floorRelaxed: false };
  if (cents < limits.lo) return { cents: limits.lo, boundBy: 'floor', level: limits.loLevel, floorRelaxed: false };
  return { cents, boundBy: null, level: null, floorRelaxed: false };
}

function clampedFixed(
  cents: number,
  limits: HardLimits,
  reason: FixedPrice['reason'],
  own: { boundBy: BoundBy; level: BoundLevel | null } | null,
  relaxedWhenMoved: readonly GuardrailName[],
): FixedPrice {
  const clamp = clampHard(cents, limits);
  const relaxed: GuardrailName[] = clamp.floorRelaxed ? ['floor'] : [];
  if (clamp.cents === cents) return { cents, reason, boundBy: own?.boundBy ?? null, boundLevel: own?.level ?? null, relaxed, override: null };
  relaxed.push(...relaxedWhenMoved);
  return { cents: clamp.cents, reason, boundBy: clamp.boundBy, boundLevel: clamp.level, relaxed, override: null };
}

// ---------------------------------------------------------------- the plan

function fixedPlan(base: Omit<PricingPlan, 'size' | 'cents' | 'excludedBy' | 'fixed' | 'region'>, fixed: FixedPrice): PricingPlan {
  return { ...base, size: 1, cents: Int32Array.of(fixed.cents), excludedBy: new Uint8Array(1), fixed, region: null };
}

interface MutableRegion {
  loCents: number;
  hiCents: number;
  loBy: ExclusionReason | null;
  loLevel: BoundLevel | null;
  hiBy: ExclusionReason | null;
  hiLevel: BoundLevel | null;
  relaxed: ExclusionReason[];
  endingsRelaxed: boolean;
}

/** Narrows the region by [lo, hi]; if they do not meet, keeps the region's point nearest [lo, hi] and records the guardrail as relaxed. */
function narrow(region: MutableRegion, lo: number, hi: number, by: ExclusionReason, level: BoundLevel | null): void {
  if (hi < region.loCents) {
    region.hiCents = region.loCents;
    region.hiBy = region.loBy;
    region.hiLevel = region.loLevel;
    region.relaxed.push(by);
  } else if (lo > region.hiCents) {
    region.loCents = region.hiCents;
    region.loBy = region.hiBy;
    region.loLevel = region.hiLevel;
    region.relaxed.push(by);
  } else {
    if (lo > region.loCents) [region.loCents, region.loBy, region.loLevel] = [lo, by, level];
    if (hi < region.hiCents) [region.hiCents, region.hiBy, region.hiLevel] = [hi, by, level];
  }
}

/**
 * Phase 1 for one store × SKU. Throws DomainError VALIDATION_FAILED on impossible input (a non-positive
 * list price, a negative cost or stock…); the API may catch it per SKU.
 */
export function planPrice(input: PricingInput, config: ResolvedPricingConfig = DEFAULT_PRICING_CONFIG): PricingPlan {
  const { context, sku, guardrails, variant } = input;
  if (!(Number.isFinite(context.listPrice) && context.listPrice > 0)) throw DomainError.validation('context.listPrice', 'must be a positive amount');
  const unitCost = nonNegative(sku.unitCost, 'sku.unitCost');
  const salvageValue = sku.salvageValue == null ? 0 : nonNegative(sku.salvageValue, 'sku.salvageValue');
  const stockUnits = nonNegative(context.stockUnits, 'context.stockUnits');
  const expiringUnits = nonNegative(context.expiringUnits, 'context.expiringUnits');
  const stockAges = stockAgesOf(context.stockAges);
  const lastPrice = positiveOrNull(input.lastPrice, 'lastPrice');
  const openingPrice = positiveOrNull(input.openingPrice, 'openingPrice') ?? lastPrice;

  const limits = hardLimits(input);
  const listCents = Math.max(1, toCents(context.listPrice));
  const legacyCents = Math.max(1, toCents(legacyPrice(context.listPrice, context.daysToExpiry, config.markdownLadder)));
  const lastCents = lastPrice === null ? null : toCents(lastPrice);
  const base = {
    input,
    config,
    fallback: clampedFixed(legacyCents, limits, 'fallback', null, []),
    legacyPrice: legacyCents / 100,
    referenceCents: lastCents ?? listCents,
    terms: stockAges === undefined ? { stockUnits, expiringUnits, unitCost, salvageValue } : { stockUnits, expiringUnits, unitCost, salvageValue, stockAges },
  };

  const override = input.override;
  if (override) {
    const requested = toCents(positiveOrNull(override.price, 'override.price') ?? 0);
    const applied = { id: override.id, requestedPrice: requested / 100, forced: override.forced, reason: override.reason };
    let fixed: FixedPrice;
    if (override.forced) {
      fixed = { cents: requested, reason: 'override', boundBy: 'override', boundLevel: 'override', relaxed: [], override: { ...applied, clamped: false } };
    } else {
      const clamped = clampedFixed(requested, limits, 'override', { boundBy: 'override', level: 'override' }, []);
      fixed = { ...clamped, override: { ...applied, clamped: clamped.cents !== requested } };
    }
    return fixedPlan(base, fixed);
  }
  if (guardrails.frozen) {
    const reason = variant.kind === 'model' ? 'guardrail' : 'legacy';
    return fixedPlan(base, clampedFixed(lastCents ?? listCents, limits, reason, { boundBy: 'freeze', level: guardrails.source.frozen }, ['freeze']));
  }
  if (variant.kind === 'legacy') return fixedPlan(base, { ...base.fallback, reason: 'legacy' });

  // The model's feasible region, narrowed guardrail by guardrail in precedence order.
  const region: MutableRegion = {
    loCents: 1,
    hiCents: Number.POSITIVE_INFINITY,
    loBy: null,
    loLevel: null,
    hiBy: null,
    hiLevel: null,
    relaxed: [],
    endingsRelaxed: false,
  };
  narrow(region, Number.NEGATIVE_INFINITY, limits.hi, 'ceiling', limits.hiLevel);
  narrow(region, limits.lo, Number.POSITIVE_INFINITY, 'floor', limits.loLevel);
  let changeLo = Number.NEGATIVE_INFINITY;
  let changeHi = Number.POSITIVE_INFINITY;
  if (guardrails.maxChangePct !== null && openingPrice !== null) {
    const openingCents = toCents(openingPrice);
    changeLo = Math.ceil((openingCents * (100 - guardrails.maxChangePct)) / 100 - EPS_CENTS);
    changeHi = Math.floor((openingCents * (100 + guardrails.maxChangePct)) / 100 + EPS_CENTS);
    narrow(region, changeLo, changeHi, 'maxChange', guardrails.source.maxChangePct);
  }
  let marginLo = Number.NEGATIVE_INFINITY;
  if (guardrails.minMarginPct !== null) {
    marginLo = Math.ceil((unitCost * 100) / (1 - guardrails.minMarginPct / 100) - EPS_CENTS);
    narrow(region, marginLo, Number.POSITIVE_INFINITY, 'minMargin', guardrails.source.minMarginPct);
  }
  const endings = parseEndings(guardrails.priceEndings);
  if (endings && snapUp(region.loCents, endings) > region.hiCents) {
    region.endingsRelaxed = true;
    region.relaxed.push('endings');
  }
  const snapEdges = endings !== null && !region.endingsRelaxed;

  // Candidates: the ladder snapped to the endings, the legacy, list and last prices, and the region's edges.
  const ratios = config.ratios;
  const buffer = new Int32Array(ratios.length + 5);
  let n = 0;
  for (let i = 0; i < ratios.length; i++) {
    const snapped = snapToEndings(Math.round(listCents * (ratios[i] as number)), endings);
    if (snapped >= 1) buffer[n++] = snapped;
  }
  buffer[n++] = legacyCents;
  buffer[n++] = listCents;
  if (lastCents !== null && lastCents >= 1) buffer[n++] = lastCents;
  // The ladder's span projected onto the region: its points nearest the ladder's ends, so that a binding
  // guardrail offers its exact limit and some candidate is always allowed.
  const lowest = snapEdges && endings ? snapUp(region.loCents, endings) : region.loCents;
  const ladderLow = Math.min(Math.max(Math.round(listCents * (ratios[0] as number)), region.loCents), region.hiCents);
  const ladderHigh = Math.min(Math.max(Math.round(listCents * (ratios[ratios.length - 1] as number)), region.loCents), region.hiCents);
  if (snapEdges && endings) {
    const up = snapUp(ladderLow, endings);
    buffer[n++] = up <= region.hiCents ? up : lowest;
    const down = snapDown(ladderHigh, endings);
    buffer[n++] = down >= region.loCents ? down : lowest;
  } else {
    buffer[n++] = ladderLow;
    buffer[n++] = ladderHigh;
  }
  const sorted = buffer.subarray(0, n).sort();
  let size = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[size++] = sorted[i] as number;
  const cents = sorted.subarray(0, size);

  const excludedBy = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const c = cents[i] as number;
    const allowed = c >= region.loCents && c <= region.hiCents && (!endings || region.endingsRelaxed || endings.mask[c % 100] === 1);
    if (allowed) continue;
    let code: number;
    if (c > limits.hi) code = 1;
    else if (c < limits.lo) code = 2;
    else if (c < changeLo || c > changeHi) code = 3;
    else if (c < marginLo) code = 4;
    else if (endings && endings.mask[c % 100] !== 1) code = 5;
    else code = 1 + EXCLUSION_REASONS.indexOf((c > region.hiCents ? region.hiBy : region.loBy) ?? 'endings');
    excludedBy[i] = code;
  }

  return { ...base, size, cents, excludedBy, fixed: null, region };
}

// ---------------------------------------------------------------- candidates and feature rows

export function candidatePrice(plan: PricingPlan, index: number): number {
  return (plan.cents[index] as number) / 100;
}

/** The price_ratio feature of a candidate: price / list price. */
export function candidateRatio(plan: PricingPlan, index: number): number {
  return (plan.cents[index] as number) / 100 / plan.input.context.listPrice;
}

/** Why a candidate is not allowed, or null when it is. */
export function candidateExclusion(plan: PricingPlan, index: number): ExclusionReason | null {
  const code = plan.excludedBy[index] as number;
  return code === 0 ? null : (EXCLUSION_REASONS[code - 1] ?? null);
}

/** Writes the plan's `size` feature rows into `out` from row `firstRow` on. */
export function writePlanFeatures(plan: PricingPlan, out: Float32Array, firstRow: number): void {
  const { context } = plan.input;
  const listPrice = context.listPrice;
  for (let i = 0; i < plan.size; i++) writeDemandFeatures(out, firstRow + i, context, (plan.cents[i] as number) / 100 / listPrice);
}

/** One model call's input for many plans: the rows of plan i start at offsets[i]. */
export interface FeatureBatch {
  readonly features: Float32Array;
  readonly rows: number;
  readonly offsets: Int32Array;
}

/**
 * The feature matrix for one batched model call. Plans priced by different model versions need one
 * batch per version; fixed plans (override, freeze, legacy) add one row each so that their expected
 * units can be predicted too — leave them out if that is not wanted.
 */
export function featureBatch(plans: readonly PricingPlan[]): FeatureBatch {
  const offsets = new Int32Array(plans.length);
  let rows = 0;
  for (let i = 0; i < plans.length; i++) {
    offsets[i] = rows;
    rows += (plans[i] as PricingPlan).size;
  }
  const features = new Float32Array(rows * DEMAND_FEATURE_COUNT);
  for (let i = 0; i < plans.length; i++) writePlanFeatures(plans[i] as PricingPlan, features, offsets[i] as number);
  return { features, rows, offsets };
}
