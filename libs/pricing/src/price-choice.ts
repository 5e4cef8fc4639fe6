import { expectedOutcome, expectedProfit, expectedUnits, type ExpectedOutcome } from './expected-profit';
import {
  candidateExclusion,
  type AppliedOverride,
  type BoundBy,
  type BoundLevel,
  type ExclusionReason,
  type FixedPrice,
  type GuardrailName,
  type PricingPlan,
} from './price-plan';

/**
 * Phase 2 of a price request: the model's predictions in, one decision per plan out.
 *
 * REASON
 * - 'override'  an active override set the price (boundBy 'override', or 'floor' / 'ceiling' when it was clamped).
 * - 'fallback'  model variant, but the predictions for this SKU are missing, too short, NaN, infinite or
 *               negative: the legacy price clamped to floor / ceiling.
 * - 'legacy'    legacy variant: the legacy price clamped to floor / ceiling, or the frozen price.
 * - 'guardrail' model variant and a guardrail changed the outcome: the SKU is frozen (boundBy 'freeze'),
 *               or the unconstrained best candidate — the highest expected profit over every scored
 *               candidate, guardrails ignored, same tie-break — is not allowed. boundBy is then the
 *               guardrail whose edge of the feasible region lies between that candidate and the chosen
 *               price ('endings' when the unconstrained best lies inside the region but off the endings).
 * - 'model'     model variant, the unconstrained best candidate is allowed and is the answer; boundBy null.
 * `relaxed` lists the guardrails that gave way to stronger ones (see the precedence in price-plan.ts).
 *
 * TIES in expected profit (within 1e-9) go to the candidate nearest the reference price (the last price,
 * else the list price) — the shelf changes as little as possible — and then to the higher price.
 */
export type DecisionReason = 'model' | 'legacy' | 'override' | 'guardrail' | 'fallback';

export interface RunnerUp {
  readonly price: number;
  readonly expectedUnits: number;
  readonly expectedProfit: number;
  /** Excluded by a guardrail (strongest one named), or allowed but less profitable, or equal and lost the tie-break. */
  readonly lostBecause: 'excluded' | 'lowerProfit' | 'tieBreak';
  readonly excludedBy: ExclusionReason | null;
}

export interface PriceChoice {
  /** Index of the chosen candidate in plan.cents. */
  readonly index: number;
  readonly price: number;
  readonly expected: ExpectedOutcome;
  readonly reason: 'model' | 'guardrail';
  readonly boundBy: ExclusionReason | null;
  readonly boundLevel: BoundLevel | null;
  /** The best candidate with guardrails ignored. */
  readonly unconstrained: { readonly price: number; readonly expectedProfit: number };
  /** The next best other candidates, best first. */
  readonly runnersUp: readonly RunnerUp[];
}

export interface PriceDecision {
  readonly storeId: string;
  readonly skuCode: string;
  readonly variant: string;
  readonly modelVersion: string | null;
  readonly price: number;
  readonly listPrice: number;
  readonly unitCost: number;
  readonly legacyPrice: number;
  readonly reason: DecisionReason;
  readonly boundBy: BoundBy | null;
  readonly boundLevel: BoundLevel | null;
  readonly relaxed: readonly GuardrailName[];
  readonly override: AppliedOverride | null;
  /** Expected units, waste, revenue and gross margin after waste at the price; null without usable predictions. */
  readonly expected: ExpectedOutcome | null;
  /** (price − cost) / price, percent. */
  readonly unitMarginPct: number;
  readonly unconstrained: { readonly price: number; readonly expectedProfit: number } | null;
  readonly runnersUp: readonly RunnerUp[];
  /** Feature rows the plan sent to the model. */
  readonly candidates: number;
}

const PROFIT_EPS = 1e-9;
let scratch = new Float64Array(256);

/** True when the plan's `size` predictions from `offset` on exist and are finite and ≥ 0. */
export function demandIsUsable(plan: PricingPlan, demand: ArrayLike<number> | null | undefined, offset = 0): demand is ArrayLike<number> {
  if (!demand || !Number.isInteger(offset) || offset < 0 || demand.length < offset + plan.size) return false;
  for (let i = offset, end = offset + plan.size; i < end; i++) {
    const value = demand[i] as number;
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) return false;
  }
  return true;
}

/** Whether candidate i beats candidate j: more profit, then nearer the reference price, then the higher price. */
function beats(profit: Float64Array, cents: Int32Array, reference: number, i: number, j: number): boolean {
  const difference = (profit[i] as number) - (profit[j] as number);
  if (difference > PROFIT_EPS) return true;
  if (difference < -PROFIT_EPS) return false;
  const distanceI = Math.abs((cents[i] as number) - reference);
  const distanceJ = Math.abs((cents[j] as number) - reference);
  if (distanceI !== distanceJ) return distanceI < distanceJ;
  return (cents[i] as number) > (cents[j] as number);
}

/**
 * The highest-expected-profit allowed candidate of a model plan, with the unconstrained best, the
 * reason ('model' or 'guardrail') and the runner-ups. Null for a fixed plan (nothing to choose) or
 * when the predictions are not usable (the caller falls back).
 */
export function chooseBestPrice(plan: PricingPlan, demand: ArrayLike<number>, offset = 0): PriceChoice | null {
  const region = plan.region;
  if (plan.fixed || !region || !demandIsUsable(plan, demand, offset)) return null;
  const { cents, excludedBy, size, terms, referenceCents } = plan;
  if (scratch.length < size) scratch = new Float64Array(size * 2);
  const profit = scratch;

  let best = -1;
  let unconstrained = -1;
  for (let i = 0; i < size; i++) {
    profit[i] = expectedProfit((cents[i] as number) / 100, demand[offset + i] as number, terms);
    if (unconstrained < 0 || beats(profit, cents, referenceCents, i, unconstrained)) unconstrained = i;
    if (excludedBy[i] === 0 && (best < 0 || beats(profit, cents, referenceCents, i, best))) best = i;
  }
  // planPrice always leaves at least one allowed candidate (an edge of the feasible region).
  if (best < 0) return null;

  const runnersUp: RunnerUp[] = [];
  const taken: number[] = [best];
  for (let k = 0; k < plan.config.runnersUp; k++) {
    let next = -1;
    for (let i = 0; i < size; i++) {
      if (taken.includes(i)) continue;
      if (next < 0 || beats(profit, cents, referenceCents, i, next)) next = i;
    }
    if (next < 0) break;
    taken.push(next);
    const excluded = candidateExclusion(plan, next);
    runnersUp.push({
      price: (cents[next] as number) / 100,
      expectedUnits: expectedUnits(demand[offset + next] as number, terms.stockUnits),
      expectedProfit: profit[next] as number,
      lostBecause: excluded ? 'excluded' : (profit[next] as number) < (profit[best] as number) - PROFIT_EPS ? 'lowerProfit' : 'tieBreak',
      excludedBy: excluded,
    });
  }

  let boundBy: ExclusionReason | null = null;
  let boundLevel: BoundLevel | null = null;
  if (unconstrained !== best) {
    const free = cents[unconstrained] as number;
    if (free > region.hiCents) [boundBy, boundLevel] = [region.hiBy, region.hiLevel];
    else if (free < region.loCents) [boundBy, boundLevel] = [region.loBy, region.loLevel];
    else [boundBy, boundLevel] = ['endings', plan.input.guardrails.source.priceEndings];
  }
  const price = (cents[best] as number) / 100;
  return {
    index: best,
    price,
    expected: expectedOutcome(price, demand[offset + best] as number, terms),
    reason: unconstrained === best ? 'model' : 'guardrail',
    boundBy,
    boundLevel,
    unconstrained: { price: (cents[unconstrained] as number) / 100, expectedProfit: profit[unconstrained] as number },
    runnersUp,
  };
}

function fixedDecision(plan: PricingPlan, fixed: FixedPrice, expected: ExpectedOutcome | null): PriceDecision {
  return decision(plan, fixed.cents / 100, fixed.reason, fixed.boundBy, fixed.boundLevel, fixed.relaxed, fixed.override, expected, null, [], plan.size);
}

function decision(
  plan: PricingPlan,
  price: number,
  reason: DecisionReason,
  boundBy: BoundBy | null,
  boundLevel: BoundLevel | null,
  relaxed: readonly GuardrailName[],
  override: AppliedOverride | null,
  expected: ExpectedOutcome | null,
  unconstrained: PriceDecision['unconstrained'],
  runnersUp: readonly RunnerUp[],
  candidates: number,
): PriceDecision {
  const { input } = plan;
  return {
    storeId: input.storeId,
    skuCode: input.sku.code,
    variant: input.variant.name,
    modelVersion: input.variant.kind === 'model' ? input.variant.modelVersion : null,
    price,
    listPrice: input.context.listPrice,
    unitCost: plan.terms.unitCost,
    legacyPrice: plan.legacyPrice,
    reason,
    boundBy,
    boundLevel,
    relaxed,
    override,
    expected,
    unitMarginPct: ((price - plan.terms.unitCost) / price) * 100,
    unconstrained,
    runnersUp,
    candidates,
  };
}

/**
 * Phase 2 for one plan: `demand` is the batch's predictions (or null when the model call failed or was
 * skipped) and `offset` the plan's first row in it (featureBatch().offsets[i]).
 * - fixed plan (override, freeze, legacy variant): its price; expected outcome when its row was predicted;
 * - model plan: chooseBestPrice, or the fallback when the predictions are unusable.
 */
export function decidePrice(plan: PricingPlan, demand: ArrayLike<number> | null, offset = 0): PriceDecision {
  if (plan.fixed) {
    const expected = demandIsUsable(plan, demand, offset) ? expectedOutcome(plan.fixed.cents / 100, demand[offset] as number, plan.terms) : null;
    return fixedDecision(plan, plan.fixed, expected);
  }
  const choice = demand ? chooseBestPrice(plan, demand, offset) : null;
  if (!choice) return fixedDecision(plan, plan.fallback, null);
  const relaxed = plan.region?.relaxed ?? [];
  return decision(plan, choice.price, choice.reason, choice.boundBy, choice.boundLevel, relaxed, null, choice.expected, choice.unconstrained, choice.runnersUp, plan.size);
}
