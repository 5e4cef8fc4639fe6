import type { DemandContext } from '../demand-features';
import { NO_GUARDRAILS, resolveGuardrails, type GuardrailSet, type ResolvedGuardrails } from '../guardrails';
import type { PriceOverride } from '../overrides';
import type { PricingInput, SkuPricingTerms } from '../pricing-input';
import type { PricingPlan } from '../price-plan';

/** Test-only builders (not exported from the library's entry point). */

export function context(overrides: Partial<DemandContext> = {}): DemandContext {
  return {
    listPrice: 5,
    daysToExpiry: 5,
    stockUnits: 1000,
    expiringUnits: 0,
    dayOfWeek: 3,
    category: 'bakery',
    shelfLifeDays: 6,
    velocity7d: 20,
    priceRatio7d: 1,
    ...overrides,
  };
}

export function skuGuardrails(set: GuardrailSet): ResolvedGuardrails {
  return resolveGuardrails({}, null, set);
}

export interface InputChanges extends Partial<Omit<PricingInput, 'sku' | 'context'>> {
  sku?: Partial<SkuPricingTerms>;
  context?: Partial<DemandContext>;
}

export function pricingInput(changes: InputChanges = {}): PricingInput {
  const { sku, context: contextChanges, ...rest } = changes;
  return {
    storeId: 'S1',
    guardrails: NO_GUARDRAILS,
    override: null,
    lastPrice: null,
    variant: { kind: 'model', name: 'champion', modelVersion: 'm-1' },
    ...rest,
    sku: { code: 'BREAD', unitCost: 2, salvageValue: 0, priceFloor: null, priceCeiling: null, ...sku },
    context: context(contextChanges),
  };
}

export function override(changes: Partial<PriceOverride> = {}): PriceOverride {
  return {
    id: 'o1',
    skuCode: 'BREAD',
    storeId: null,
    price: 3.99,
    startsAt: Date.UTC(2030, 0, 1),
    endsAt: Date.UTC(2030, 0, 8),
    reason: 'clearance',
    forced: false,
    createdAt: Date.UTC(2029, 11, 20),
    ...changes,
  };
}

/** Predictions for a plan's candidates from a demand curve in price. */
export function demandFor(plan: PricingPlan, curve: (price: number) => number): Float32Array {
  const out = new Float32Array(plan.size);
  for (let i = 0; i < plan.size; i++) out[i] = curve((plan.cents[i] as number) / 100);
  return out;
}

export function prices(plan: PricingPlan): number[] {
  return Array.from(plan.cents, (c) => c / 100);
}
