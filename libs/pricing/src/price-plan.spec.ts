import { DomainError } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, PRICE_FEATURE_INDEX } from './demand-features';
import { resolveGuardrails } from './guardrails';
import { resolvePricingConfig } from './pricing-input';
import {
  candidateExclusion,
  candidatePrice,
  candidateRatio,
  featureBatch,
  planPrice,
  snapToEnding,
  type PricingPlan,
} from './price-plan';
import { override, pricingInput, prices, skuGuardrails } from './testing/fixtures';

function allowedPrices(plan: PricingPlan): number[] {
  return prices(plan).filter((_, i) => plan.excludedBy[i] === 0);
}

function priceOf(plan: PricingPlan, price: number): number {
  const index = prices(plan).indexOf(price);
  if (index < 0) throw new Error(`${price} is not a candidate of ${prices(plan).join(', ')}`);
  return index;
}

describe(snapToEnding.name, () => {
  it('moves a price to the nearest allowed ending, the lower one on a tie', () => {
    expect(snapToEnding(2.71, ['.49', '.99'])).toBe(2.49);
    expect(snapToEnding(2.8, ['.49', '.99'])).toBe(2.99);
    expect(snapToEnding(3.1, ['.49', '.99'])).toBe(2.99);
    expect(snapToEnding(2.74, ['.49', '.99'])).toBe(2.49);
    expect(snapToEnding(0.2, ['.99'])).toBe(0.99);
    expect(snapToEnding(2.71, [])).toBe(2.71);
  });
});

describe(planPrice.name, () => {
  it('refuses stock ages that are not whole ascending days or have negative units, naming the entry', () => {
    const withAges = (stockAges: Array<{ daysLeft: number; units: number }>) => () => planPrice(pricingInput({ context: { stockAges } }));
    expect(withAges([{ daysLeft: 2, units: 3 }, { daysLeft: 2, units: 1 }])).toThrow(/context.stockAges\[1\].daysLeft/);
    expect(withAges([{ daysLeft: 0.5, units: 3 }])).toThrow(/context.stockAges\[0\].daysLeft/);
    expect(withAges([{ daysLeft: 1, units: -1 }])).toThrow(/context.stockAges\[0\].units/);
    expect(planPrice(pricingInput({ context: { stockAges: [{ daysLeft: 1, units: 4 }, { daysLeft: 3, units: 9 }] } })).terms.stockAges).toHaveLength(2);
  });

  describe('candidate ladder', () => {
    it('runs from 40 % to 120 % of the list price in 2 % steps by default, sorted and unique', () => {
      const plan = planPrice(pricingInput());
      expect(plan.fixed).toBeNull();
      const all = prices(plan);
      expect(all[0]).toBe(2);
      expect(all[all.length - 1]).toBe(6);
      expect(all).toHaveLength(41);
      expect(all).toContain(4.1);
      expect(all).toEqual([...new Set(all)].sort((a, b) => a - b));
      expect(allowedPrices(plan)).toEqual(all);
    });

    it('follows a configured ladder', () => {
      const config = resolvePricingConfig({ ladder: { minRatio: 0.5, maxRatio: 1, stepRatio: 0.25 } });
      expect(prices(planPrice(pricingInput(), config))).toEqual([2.5, 3.75, 5]);
    });

    it('rejects a ladder that would be empty or huge', () => {
      expect(() => resolvePricingConfig({ ladder: { minRatio: 1.2, maxRatio: 1 } })).toThrow(DomainError);
      expect(() => resolvePricingConfig({ ladder: { stepRatio: 0.0001 } })).toThrow(/ladder.stepRatio/);
    });

    it('snaps the ladder to the allowed endings and removes the duplicates', () => {
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ priceEndings: ['.49', '.99'] }), context: { listPrice: 4.99 } }));
      const all = allowedPrices(plan);
      expect(all.every((p) => [49, 99].includes(Math.round(p * 100) % 100))).toBe(true);
      expect(all).toEqual([1.99, 2.49, 2.99, 3.49, 3.99, 4.49, 4.99, 5.49, 5.99]);
    });

    it('always evaluates the legacy price, and lets it compete when it is allowed', () => {
      const plan = planPrice(pricingInput({ context: { listPrice: 4.99, daysToExpiry: 2 } }));
      expect(plan.legacyPrice).toBe(3.49);
      expect(candidateExclusion(plan, priceOf(plan, 3.49))).toBeNull();
    });

    it('evaluates the legacy price but excludes it when it breaks a guardrail', () => {
      const plan = planPrice(pricingInput({ context: { listPrice: 4.99, daysToExpiry: 1 }, guardrails: skuGuardrails({ priceEndings: ['.99'] }) }));
      expect(plan.legacyPrice).toBe(2.5);
      expect(candidateExclusion(plan, priceOf(plan, 2.5))).toBe('endings');
    });

    it('writes one feature row per candidate with price / list as the price ratio', () => {
      const first = planPrice(pricingInput());
      const second = planPrice(pricingInput({ sku: { code: 'MILK' }, context: { listPrice: 2 } }));
      const batch = featureBatch([first, second]);
      expect(batch.rows).toBe(first.size + second.size);
      expect(Array.from(batch.offsets)).toEqual([0, first.size]);
      expect(batch.features).toHaveLength(batch.rows * DEMAND_FEATURE_COUNT);
      const row = first.size + 3;
      expect(batch.features[row * DEMAND_FEATURE_COUNT + PRICE_FEATURE_INDEX]).toBeCloseTo(candidateRatio(second, 3), 6);
      expect(candidateRatio(second, 3)).toBeCloseTo(candidatePrice(second, 3) / 2, 12);
      expect(batch.features[row * DEMAND_FEATURE_COUNT + 1]).toBe(2);
    });
  });

  describe('guardrails', () => {
    it('excludes candidates above the lower of the catalog and guardrail ceilings', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 5.5 }, guardrails: skuGuardrails({ priceCeiling: 4.5 }) }));
      expect(Math.max(...allowedPrices(plan))).toBe(4.5);
      expect(candidateExclusion(plan, priceOf(plan, 4.6))).toBe('ceiling');
      expect(plan.region).toMatchObject({ hiCents: 450, hiBy: 'ceiling', hiLevel: 'sku' });
    });

    it('excludes candidates below the higher of the catalog and guardrail floors, naming the catalog when it is higher', () => {
      const plan = planPrice(pricingInput({ sku: { priceFloor: 3.05 }, guardrails: skuGuardrails({ priceFloor: 2.5 }) }));
      expect(Math.min(...allowedPrices(plan))).toBe(3.05);
      expect(candidateExclusion(plan, priceOf(plan, 3))).toBe('floor');
      expect(plan.region).toMatchObject({ loCents: 305, loBy: 'floor', loLevel: 'catalog' });
    });

    it('keeps the move within the maximum change of the opening price, offering the exact limits', () => {
      const plan = planPrice(pricingInput({ lastPrice: 5, guardrails: skuGuardrails({ maxChangePct: 10 }) }));
      expect(Math.min(...allowedPrices(plan))).toBe(4.5);
      expect(Math.max(...allowedPrices(plan))).toBe(5.5);
      expect(candidateExclusion(plan, priceOf(plan, 4.4))).toBe('maxChange');
    });

    it('measures the maximum change against the opening price when it differs from the last price', () => {
      const plan = planPrice(pricingInput({ lastPrice: 4.6, openingPrice: 5, guardrails: skuGuardrails({ maxChangePct: 10 }) }));
      expect(Math.min(...allowedPrices(plan))).toBe(4.5);
    });

    it('ignores the maximum change when there is no earlier price', () => {
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ maxChangePct: 10 }) }));
      expect(Math.min(...allowedPrices(plan))).toBe(2);
    });

    it('excludes candidates under the minimum margin over cost', () => {
      // cost 2, 40 % margin: price ≥ 2 / 0.6 = 3.333… → 3.34
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ minMarginPct: 40 }) }));
      expect(Math.min(...allowedPrices(plan))).toBe(3.34);
      expect(candidateExclusion(plan, priceOf(plan, 3.3))).toBe('minMargin');
      const lowest = 3.34;
      expect((lowest - 2) / lowest).toBeGreaterThanOrEqual(0.4);
    });

    it('names the strongest guardrail a candidate breaks', () => {
      const plan = planPrice(
        pricingInput({ lastPrice: 5, guardrails: skuGuardrails({ priceCeiling: 5.2, maxChangePct: 20, minMarginPct: 50 }) }),
      );
      // 2.00 breaks max change (< 4.00) and min margin (< 4.00): max change is stronger.
      expect(candidateExclusion(plan, priceOf(plan, 2))).toBe('maxChange');
      expect(candidateExclusion(plan, priceOf(plan, 6))).toBe('ceiling');
    });
  });

  describe('conflicting guardrails', () => {
    it('lets the ceiling beat the floor', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 4 }, guardrails: skuGuardrails({ priceFloor: 4.5 }) }));
      expect(allowedPrices(plan)).toEqual([4]);
      expect(plan.region).toMatchObject({ relaxed: ['floor'], loBy: 'ceiling', hiBy: 'ceiling' });
    });

    it('lets floor and ceiling beat the maximum change, at the limit nearest the allowed move', () => {
      const plan = planPrice(pricingInput({ lastPrice: 5, guardrails: skuGuardrails({ maxChangePct: 10, priceCeiling: 4 }) }));
      expect(allowedPrices(plan)).toEqual([4]);
      expect(plan.region?.relaxed).toEqual(['maxChange']);
    });

    it('lets the maximum change beat the minimum margin', () => {
      // margin needs ≥ 4.00 (cost 2, 50 %), the move allows at most 3.30 (3.00 + 10 %).
      const plan = planPrice(pricingInput({ lastPrice: 3, guardrails: skuGuardrails({ maxChangePct: 10, minMarginPct: 50 }) }));
      expect(allowedPrices(plan)).toEqual([3.3]);
      expect(plan.region).toMatchObject({ relaxed: ['minMargin'], hiBy: 'maxChange' });
    });

    it('lets the ceiling beat the minimum margin', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 3.5 }, guardrails: skuGuardrails({ minMarginPct: 50 }) }));
      expect(allowedPrices(plan)).toEqual([3.5]);
      expect(plan.region?.relaxed).toEqual(['minMargin']);
    });

    it('drops the endings last, when no price with an allowed ending fits the other guardrails', () => {
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ priceFloor: 4.5, priceCeiling: 4.6, priceEndings: ['.99'] }) }));
      expect(allowedPrices(plan)).toEqual([4.5, 4.6]);
      expect(plan.region).toMatchObject({ relaxed: ['endings'], endingsRelaxed: true });
    });

    it('offers the floor when it lies above the whole ladder', () => {
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ priceFloor: 9.5 }) }));
      expect(allowedPrices(plan)).toEqual([9.5]);
      expect(plan.region?.relaxed).toEqual([]);
    });
  });

  describe('prices fixed before demand', () => {
    it('takes an override, moved onto the ceiling when above it', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 3.5 }, override: override({ price: 3.99 }) }));
      expect(plan.fixed).toMatchObject({ cents: 350, reason: 'override', boundBy: 'ceiling', boundLevel: 'catalog' });
      expect(plan.fixed?.override).toMatchObject({ id: 'o1', requestedPrice: 3.99, clamped: true, forced: false });
      expect(plan.size).toBe(1);
    });

    it('takes a forced override as it is, outside floor and ceiling', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 3.5 }, override: override({ price: 3.99, forced: true }) }));
      expect(plan.fixed).toMatchObject({ cents: 399, reason: 'override', boundBy: 'override', override: { clamped: false, forced: true } });
    });

    it('lets an override beat freeze, minimum margin and endings', () => {
      const guardrails = resolveGuardrails({ frozen: true, minMarginPct: 60, priceEndings: ['.99'] });
      const plan = planPrice(pricingInput({ guardrails, lastPrice: 5, override: override({ price: 2.5 }) }));
      expect(plan.fixed).toMatchObject({ cents: 250, reason: 'override', boundBy: 'override' });
    });

    it('keeps a frozen price, or the list price when nothing was decided yet', () => {
      const guardrails = resolveGuardrails({}, { frozen: true });
      expect(planPrice(pricingInput({ guardrails, lastPrice: 4.2 })).fixed).toMatchObject({ cents: 420, reason: 'guardrail', boundBy: 'freeze', boundLevel: 'category' });
      expect(planPrice(pricingInput({ guardrails })).fixed).toMatchObject({ cents: 500, boundBy: 'freeze' });
    });

    it('moves a frozen price onto a floor set since, recording freeze as relaxed', () => {
      const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ frozen: true, priceFloor: 4.5 }), lastPrice: 4.2 }));
      expect(plan.fixed).toMatchObject({ cents: 450, boundBy: 'floor', relaxed: ['freeze'] });
    });

    it('prices the legacy variant by the markdown ladder, clamped to the floor', () => {
      const variant = { kind: 'legacy', name: 'control' } as const;
      expect(planPrice(pricingInput({ variant, context: { listPrice: 4.99, daysToExpiry: 2 } })).fixed).toMatchObject({ cents: 349, reason: 'legacy', boundBy: null });
      const floored = planPrice(pricingInput({ variant, sku: { priceFloor: 3 }, context: { listPrice: 4.99, daysToExpiry: 1 } }));
      expect(floored.fixed).toMatchObject({ cents: 300, reason: 'legacy', boundBy: 'floor', boundLevel: 'catalog' });
    });

    it('keeps the legacy variant frozen too', () => {
      const plan = planPrice(pricingInput({ variant: { kind: 'legacy', name: 'control' }, guardrails: skuGuardrails({ frozen: true }), lastPrice: 4.75, context: { daysToExpiry: 1 } }));
      expect(plan.fixed).toMatchObject({ cents: 475, reason: 'legacy', boundBy: 'freeze' });
    });

    it('prepares the legacy fallback of a model plan, clamped to the ceiling', () => {
      const plan = planPrice(pricingInput({ sku: { priceCeiling: 4 } }));
      expect(plan.fallback).toMatchObject({ cents: 400, reason: 'fallback', boundBy: 'ceiling' });
    });
  });

  describe('input checks', () => {
    it.each([
      [{ context: { listPrice: 0 } }, 'context.listPrice'],
      [{ sku: { unitCost: -1 } }, 'sku.unitCost'],
      [{ context: { stockUnits: Number.NaN } }, 'context.stockUnits'],
      [{ lastPrice: -2 }, 'lastPrice'],
      [{ sku: { priceFloor: 0 } }, 'sku.priceFloor'],
    ])('rejects %j, naming %s', (changes, field) => {
      let caught: unknown;
      try {
        planPrice(pricingInput(changes));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).field).toBe(field);
    });
  });
});
