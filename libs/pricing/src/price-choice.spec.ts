import { SeededRandom } from '@dynaprice/kernel';
import fc from 'fast-check';
import { decisionFingerprint } from './decision-reuse';
import { DEMAND_FEATURE_COUNT, PRICE_FEATURE_INDEX } from './demand-features';
import { expectedOutcome, expectedProfit } from './expected-profit';
import { resolveGuardrails } from './guardrails';
import { legacyPrice } from './legacy-price';
import { resolvePricingConfig, type PriceRequest, type PricingInput } from './pricing-input';
import { chooseBestPrice, decidePrice, demandIsUsable } from './price-choice';
import { featureBatch, planPrice, type PricingPlan } from './price-plan';
import { demandFor, override, pricingInput, skuGuardrails } from './testing/fixtures';

/** Linear demand 100 − 15 p: with cost 2 and ample stock, profit peaks at 4.33, so 4.30 on the default ladder. */
const linear = (price: number) => 100 - 15 * price;

describe(chooseBestPrice.name, () => {
  it('picks the highest expected profit, reason model, when the best candidate is allowed', () => {
    const plan = planPrice(pricingInput());
    const choice = chooseBestPrice(plan, demandFor(plan, linear));
    expect(choice).toMatchObject({ price: 4.3, reason: 'model', boundBy: null, unconstrained: { price: 4.3 } });
    expect(choice?.expected.units).toBeCloseTo(35.5, 5);
    expect(choice?.expected.profit).toBeCloseTo(35.5 * 2.3, 4);
  });

  it('lists the runner-ups best first, with why they lost', () => {
    const plan = planPrice(pricingInput());
    const choice = chooseBestPrice(plan, demandFor(plan, linear));
    expect(choice?.runnersUp.map((r) => [r.price, r.lostBecause, r.excludedBy])).toEqual([
      [4.4, 'lowerProfit', null],
      [4.2, 'lowerProfit', null],
      [4.5, 'lowerProfit', null],
    ]);
    expect(choice?.runnersUp[0]?.expectedProfit).toBeCloseTo(34 * 2.4, 4);
    expect(choice?.runnersUp[0]?.expectedUnits).toBeCloseTo(34, 5);
  });

  it('reports guardrail and the binding guardrail when the unconstrained best is excluded', () => {
    const plan = planPrice(pricingInput({ guardrails: resolveGuardrails({}, { priceCeiling: 4 }) }));
    const choice = chooseBestPrice(plan, demandFor(plan, linear));
    expect(choice).toMatchObject({ price: 4, reason: 'guardrail', boundBy: 'ceiling', boundLevel: 'category', unconstrained: { price: 4.3 } });
    expect(choice?.runnersUp[0]).toMatchObject({ price: 4.3, lostBecause: 'excluded', excludedBy: 'ceiling' });
  });

  it('stops at the maximum change when the model wants a deeper cut', () => {
    // demand 200 − 40 p with cost 1 peaks at 3.00; the last price 5.00 allows 4.50 at the lowest.
    const plan = planPrice(pricingInput({ sku: { unitCost: 1 }, lastPrice: 5, guardrails: skuGuardrails({ maxChangePct: 10 }) }));
    const choice = chooseBestPrice(plan, demandFor(plan, (p) => Math.max(0, 200 - 40 * p)));
    expect(choice).toMatchObject({ price: 4.5, reason: 'guardrail', boundBy: 'maxChange', boundLevel: 'sku', unconstrained: { price: 3 } });
  });

  it('breaks a tie in expected profit towards the last price', () => {
    // Nothing sells and everything expires: every price loses the same 10 × 2.
    const plan = planPrice(pricingInput({ lastPrice: 4.2, context: { stockUnits: 10, expiringUnits: 10 } }));
    const choice = chooseBestPrice(plan, demandFor(plan, () => 0));
    expect(choice).toMatchObject({ price: 4.2, reason: 'model' });
    expect(choice?.expected).toEqual({ units: 0, waste: 10, revenue: 0, profit: -20 });
    expect(choice?.runnersUp.map((r) => r.lostBecause)).toEqual(['tieBreak', 'tieBreak', 'tieBreak']);
  });

  it('breaks a tie towards the list price when nothing was decided yet', () => {
    const plan = planPrice(pricingInput({ context: { stockUnits: 10, expiringUnits: 10 } }));
    expect(chooseBestPrice(plan, demandFor(plan, () => 0))?.price).toBe(5);
  });

  it('breaks a tie between prices equally near the last price towards the higher one', () => {
    const plan = planPrice(pricingInput({ lastPrice: 4.74, guardrails: skuGuardrails({ priceEndings: ['.49', '.99'] }), context: { stockUnits: 10, expiringUnits: 10 } }));
    const choice = chooseBestPrice(plan, demandFor(plan, () => 0));
    expect(choice?.price).toBe(4.99);
    // The unconstrained tie-break would keep 4.74, which has no allowed ending.
    expect(choice).toMatchObject({ reason: 'guardrail', boundBy: 'endings', unconstrained: { price: 4.74 } });
    expect(choice?.runnersUp.slice(0, 2).map((r) => [r.price, r.lostBecause])).toEqual([
      [4.74, 'excluded'],
      [4.49, 'tieBreak'],
    ]);
  });

  it('returns nothing for unusable predictions or a fixed plan', () => {
    const plan = planPrice(pricingInput());
    const demand = demandFor(plan, linear);
    demand[3] = Number.NaN;
    expect(chooseBestPrice(plan, demand)).toBeNull();
    const fixed = planPrice(pricingInput({ override: override() }));
    expect(chooseBestPrice(fixed, new Float32Array([1]))).toBeNull();
  });
});

describe(demandIsUsable.name, () => {
  it('requires a finite, non-negative prediction for every candidate row', () => {
    const plan = planPrice(pricingInput());
    const good = demandFor(plan, linear);
    expect(demandIsUsable(plan, good)).toBe(true);
    expect(demandIsUsable(plan, null)).toBe(false);
    expect(demandIsUsable(plan, good.subarray(1))).toBe(false);
    expect(demandIsUsable(plan, good, 1)).toBe(false);
    for (const bad of [Number.NaN, -0.5, Number.POSITIVE_INFINITY]) {
      const demand = good.slice();
      demand[plan.size - 1] = bad;
      expect(demandIsUsable(plan, demand)).toBe(false);
    }
  });
});

describe(decidePrice.name, () => {
  it('records the model decision with its expected units, margin and runner-ups', () => {
    const plan = planPrice(pricingInput());
    const decision = decidePrice(plan, demandFor(plan, linear));
    expect(decision).toMatchObject({
      storeId: 'S1',
      skuCode: 'BREAD',
      variant: 'champion',
      modelVersion: 'm-1',
      price: 4.3,
      listPrice: 5,
      unitCost: 2,
      legacyPrice: 5,
      reason: 'model',
      boundBy: null,
      relaxed: [],
      override: null,
      candidates: plan.size,
    });
    expect(decision.unitMarginPct).toBeCloseTo((2.3 / 4.3) * 100, 10);
    expect(decision.expected?.units).toBeCloseTo(35.5, 5);
    expect(decision.runnersUp).toHaveLength(3);
  });

  it('falls back to the legacy price, clamped, when the model call failed', () => {
    const plan = planPrice(pricingInput({ sku: { priceFloor: 3 }, context: { listPrice: 4.99, daysToExpiry: 1 } }));
    expect(decidePrice(plan, null)).toMatchObject({ price: 3, reason: 'fallback', boundBy: 'floor', expected: null, runnersUp: [], modelVersion: 'm-1' });
  });

  it('falls back when a prediction of the SKU is NaN, negative or missing', () => {
    const plan = planPrice(pricingInput({ context: { daysToExpiry: 2 } }));
    for (const corrupt of [Number.NaN, -1]) {
      const demand = demandFor(plan, linear);
      demand[0] = corrupt;
      expect(decidePrice(plan, demand)).toMatchObject({ price: 3.5, reason: 'fallback' });
    }
    expect(decidePrice(plan, new Float32Array(2))).toMatchObject({ reason: 'fallback' });
  });

  it('reads its own rows of a batch shared with other SKUs', () => {
    const plans = [
      planPrice(pricingInput()),
      planPrice(pricingInput({ sku: { code: 'CAKE' }, override: override({ skuCode: 'CAKE', price: 3.99 }) })),
      planPrice(pricingInput({ sku: { code: 'MILK', unitCost: 1 }, context: { listPrice: 2.5 } })),
    ];
    const batch = featureBatch(plans);
    // A fake model: demand from the list price and the price ratio columns.
    const demand = new Float32Array(batch.rows);
    for (let row = 0; row < batch.rows; row++) {
      const price = batch.features[row * DEMAND_FEATURE_COUNT + PRICE_FEATURE_INDEX]! * batch.features[row * DEMAND_FEATURE_COUNT + 1]!;
      demand[row] = linear(price);
    }
    const decisions = plans.map((plan, i) => decidePrice(plan, demand, batch.offsets[i]));
    expect(decisions.map((d) => [d.skuCode, d.price, d.reason])).toEqual([
      ['BREAD', 4.3, 'model'],
      ['CAKE', 3.99, 'override'],
      ['MILK', 3, 'model'],
    ]);
    expect(decisions[1]?.expected?.units).toBeCloseTo(linear(3.99), 4);
    expect(decisions[2]?.price).toBe(decidePrice(plans[2]!, demandFor(plans[2]!, linear)).price);
  });

  it('applies an override in every variant, with or without predictions', () => {
    for (const variant of [{ kind: 'legacy', name: 'control' }, { kind: 'model', name: 'champion', modelVersion: 'm-1' }] as const) {
      const plan = planPrice(pricingInput({ variant, override: override({ price: 3.79 }) }));
      expect(decidePrice(plan, null)).toMatchObject({ price: 3.79, reason: 'override', boundBy: 'override', expected: null, override: { id: 'o1', clamped: false } });
    }
  });

  it('records a clamped override as bound by the ceiling', () => {
    const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ priceCeiling: 3.5 }), override: override({ price: 3.79 }) }));
    expect(decidePrice(plan, new Float32Array([12]))).toMatchObject({ price: 3.5, reason: 'override', boundBy: 'ceiling', boundLevel: 'sku', override: { clamped: true, requestedPrice: 3.79 }, expected: { units: 12 } });
  });

  it('decides a frozen model SKU as guardrail / freeze', () => {
    const plan = planPrice(pricingInput({ guardrails: skuGuardrails({ frozen: true }), lastPrice: 4.4 }));
    expect(decidePrice(plan, demandFor(plan, linear))).toMatchObject({ price: 4.4, reason: 'guardrail', boundBy: 'freeze' });
  });

  it('decides the legacy variant by the markdown ladder without needing the model', () => {
    const plan = planPrice(pricingInput({ variant: { kind: 'legacy', name: 'control' }, context: { listPrice: 4.99, daysToExpiry: 2 } }));
    expect(decidePrice(plan, null)).toMatchObject({ price: 3.49, reason: 'legacy', modelVersion: null, variant: 'control', expected: null });
  });

  it('decides the legacy variant by a configured markdown ladder', () => {
    const config = resolvePricingConfig({ markdownLadder: [{ daysToExpiry: 3, discountPct: 20 }] });
    const plan = planPrice(pricingInput({ variant: { kind: 'legacy', name: 'control' }, context: { daysToExpiry: 3 } }), config);
    expect(decidePrice(plan, null).price).toBe(4);
  });
});

// ---------------------------------------------------------------- properties

const ENDINGS = ['.00', '.19', '.49', '.79', '.99'];

const scenarioArb = fc.record({
  listCents: fc.integer({ min: 50, max: 2000 }),
  costRatio: fc.double({ min: 0.05, max: 1.4, noNaN: true }),
  salvageShare: fc.double({ min: 0, max: 1, noNaN: true }),
  catalogFloor: fc.option(fc.integer({ min: 1, max: 3000 })),
  catalogCeiling: fc.option(fc.integer({ min: 1, max: 3000 })),
  guardFloor: fc.option(fc.integer({ min: 1, max: 3000 })),
  guardCeiling: fc.option(fc.integer({ min: 1, max: 3000 })),
  minMarginPct: fc.option(fc.integer({ min: 0, max: 80 })),
  maxChangePct: fc.option(fc.integer({ min: 0, max: 50 })),
  endings: fc.subarray(ENDINGS),
  lastCents: fc.option(fc.integer({ min: 20, max: 3000 })),
  openingCents: fc.option(fc.integer({ min: 20, max: 3000 })),
  stock: fc.integer({ min: 0, max: 300 }),
  expiringShare: fc.double({ min: 0, max: 1, noNaN: true }),
  daysToExpiry: fc.integer({ min: 0, max: 10 }),
  demandScale: fc.double({ min: 0, max: 200, noNaN: true }),
  elasticity: fc.double({ min: 0, max: 6, noNaN: true }),
  noiseSeed: fc.integer(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function scenarioInput(s: Scenario, extra: Partial<PricingInput> = {}): PricingInput {
  const listPrice = s.listCents / 100;
  const unitCost = Math.round(listPrice * s.costRatio * 10_000) / 10_000;
  return pricingInput({
    sku: {
      unitCost,
      salvageValue: Math.round(unitCost * s.salvageShare * 10_000) / 10_000,
      priceFloor: s.catalogFloor === null ? null : s.catalogFloor / 100,
      priceCeiling: s.catalogCeiling === null ? null : s.catalogCeiling / 100,
    },
    context: { listPrice, stockUnits: s.stock, expiringUnits: Math.floor(s.stock * s.expiringShare), daysToExpiry: s.daysToExpiry },
    // Floor and ceiling from different levels, so that they can cross.
    guardrails: resolveGuardrails(
      { minMarginPct: s.minMarginPct, maxChangePct: s.maxChangePct, priceEndings: s.endings },
      { priceFloor: s.guardFloor === null ? null : s.guardFloor / 100 },
      { priceCeiling: s.guardCeiling === null ? null : s.guardCeiling / 100 },
    ),
    lastPrice: s.lastCents === null ? null : s.lastCents / 100,
    openingPrice: s.openingCents === null ? null : s.openingCents / 100,
    ...extra,
  });
}

/** The two phases as the API runs them, with a noisy exponential demand curve as the model. */
function runModel(plans: PricingPlan[], s: Scenario): Float32Array {
  const batch = featureBatch(plans);
  const random = new SeededRandom(s.noiseSeed);
  const out = new Float32Array(batch.rows);
  for (let row = 0; row < batch.rows; row++) {
    const ratio = batch.features[row * DEMAND_FEATURE_COUNT + PRICE_FEATURE_INDEX]!;
    out[row] = s.demandScale * Math.exp(-s.elasticity * (ratio - 1)) * (0.8 + 0.4 * random.next());
  }
  return out;
}

/** The oracle's limits in cents, straight from the scenario. */
function limits(s: Scenario) {
  const ceilings = [s.catalogCeiling, s.guardCeiling].filter((c): c is number => c !== null);
  const floors = [s.catalogFloor, s.guardFloor].filter((c): c is number => c !== null);
  const reference = s.openingCents ?? s.lastCents;
  const unitCost = Math.round((s.listCents / 100) * s.costRatio * 10_000) / 10_000;
  return {
    ceiling: ceilings.length ? Math.min(...ceilings) : Number.POSITIVE_INFINITY,
    floor: floors.length ? Math.max(...floors) : 0,
    changeLo: reference !== null && s.maxChangePct !== null ? reference * (1 - s.maxChangePct / 100) : Number.NEGATIVE_INFINITY,
    changeHi: reference !== null && s.maxChangePct !== null ? reference * (1 + s.maxChangePct / 100) : Number.POSITIVE_INFINITY,
    marginLo: s.minMarginPct !== null ? (unitCost * 100) / (1 - s.minMarginPct / 100) : Number.NEGATIVE_INFINITY,
    endings: s.endings.map((e) => Number(e.slice(1))),
    unitCost,
  };
}

type Limits = ReturnType<typeof limits>;

/** How far a price (cents) is from meeting each guardrail, in precedence order: ceiling, floor, max change, min margin, endings. */
function violations(l: Limits, q: number): number[] {
  return [
    Math.max(0, q - l.ceiling),
    Math.max(0, l.floor - q),
    Math.max(0, l.changeLo - q, q - l.changeHi),
    Math.max(0, l.marginLo - q),
    l.endings.length > 0 && !l.endings.includes(q % 100) ? 1 : 0,
  ];
}

const TOLERANCE = 1e-6;
function compareViolations(a: number[], b: number[]): number {
  for (let k = 0; k < a.length; k++) {
    if (a[k]! < b[k]! - TOLERANCE) return -1;
    if (a[k]! > b[k]! + TOLERANCE) return 1;
  }
  return 0;
}

function clampCents(cents: number, l: Limits): number {
  if (l.floor > l.ceiling) return l.ceiling;
  return Math.min(Math.max(cents, l.floor), l.ceiling);
}

describe(`${decidePrice.name} properties`, () => {
  it('respects every guardrail it can, and where they conflict gives way in precedence order to the nearest feasible price', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const plan = planPrice(scenarioInput(s));
        const decision = decidePrice(plan, runModel([plan], s));
        expect(decision.reason === 'model' || decision.reason === 'guardrail').toBe(true);
        const l = limits(s);
        const p = Math.round(decision.price * 100);
        const mine = violations(l, p);
        // No price whatsoever meets the guardrails lexicographically better (strongest guardrail first).
        const top = Math.ceil(Math.max(s.listCents * 1.3, Number.isFinite(l.ceiling) ? l.ceiling : 0, l.floor, l.marginLo, s.lastCents ?? 0, s.openingCents ?? 0) * 1.6) + 200;
        for (let q = 1; q <= top; q++) {
          if (compareViolations(violations(l, q), mine) < 0) throw new Error(`${q / 100} meets the guardrails better than ${decision.price}`);
        }
        // When all of them can hold, all of them do.
        if (decision.relaxed.length === 0) {
          const price = decision.price;
          expect(price).toBeLessThanOrEqual(l.ceiling / 100 + 1e-9);
          expect(price).toBeGreaterThanOrEqual(l.floor / 100 - 1e-9);
          if (s.minMarginPct !== null) expect((price - l.unitCost) / price).toBeGreaterThanOrEqual(s.minMarginPct / 100 - 1e-9);
          const reference = s.openingCents ?? s.lastCents;
          if (s.maxChangePct !== null && reference !== null) expect(Math.abs(price * 100 - reference)).toBeLessThanOrEqual((reference * s.maxChangePct) / 100 + 1e-6);
          if (s.endings.length > 0) expect(l.endings).toContain(p % 100);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns the highest-expected-profit candidate among those the guardrails allow', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const plan = planPrice(scenarioInput(s));
        const demand = runModel([plan], s);
        const decision = decidePrice(plan, demand);
        const l = limits(s);
        const mine = violations(l, Math.round(decision.price * 100));
        const chosen = Array.from(plan.cents).indexOf(Math.round(decision.price * 100));
        expect(chosen).toBeGreaterThanOrEqual(0);
        const profitAt = (i: number) => expectedProfit(plan.cents[i]! / 100, demand[i]!, plan.terms);
        expect(decision.expected?.profit).toBeCloseTo(profitAt(chosen), 9);
        for (let i = 0; i < plan.size; i++) {
          const allowed = compareViolations(violations(l, plan.cents[i]!), mine) === 0;
          if (allowed) expect(profitAt(i)).toBeLessThanOrEqual(profitAt(chosen) + 1e-9);
        }
        // 'model' exactly when the unconstrained best is the answer.
        expect(decision.reason === 'model').toBe(decision.unconstrained?.price === decision.price);
        if (decision.reason === 'guardrail') expect(decision.boundBy).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a frozen SKU at its last price (else the list price), within floor and ceiling, in both variants', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, legacy) => {
        const input = scenarioInput(s, {
          guardrails: { ...scenarioInput(s).guardrails, frozen: true },
          variant: legacy ? { kind: 'legacy', name: 'control' } : { kind: 'model', name: 'champion', modelVersion: 'm-1' },
        });
        const plan = planPrice(input);
        const decision = decidePrice(plan, runModel([plan], s));
        expect(Math.round(decision.price * 100)).toBe(clampCents(s.lastCents ?? s.listCents, limits(s)));
        expect(decision.reason).toBe(legacy ? 'legacy' : 'guardrail');
      }),
    );
  });

  it('prices the legacy variant and the fallback by the legacy rule within floor and ceiling', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const expected = clampCents(Math.max(1, Math.round(legacyPrice(s.listCents / 100, s.daysToExpiry) * 100)), limits(s));
        const legacy = decidePrice(planPrice(scenarioInput(s, { variant: { kind: 'legacy', name: 'control' } })), null);
        const fallback = decidePrice(planPrice(scenarioInput(s)), null);
        expect([legacy.reason, fallback.reason]).toEqual(['legacy', 'fallback']);
        expect(Math.round(legacy.price * 100)).toBe(expected);
        expect(Math.round(fallback.price * 100)).toBe(expected);
      }),
    );
  });

  it('applies an override within floor and ceiling, and exactly when an admin forced it', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 4000 }), fc.boolean(), (s, overrideCents, forced) => {
        const plan = planPrice(scenarioInput(s, { override: override({ price: overrideCents / 100, forced }) }));
        const decision = decidePrice(plan, runModel([plan], s));
        expect(decision.reason).toBe('override');
        expect(Math.round(decision.price * 100)).toBe(forced ? overrideCents : clampCents(overrideCents, limits(s)));
        expect(decision.override?.clamped).toBe(Math.round(decision.price * 100) !== overrideCents);
      }),
    );
  });

  it('gives the same price whoever asks: the customer, session and segment cannot reach it', () => {
    const requesterArb = fc.record({
      customerId: fc.option(fc.string()),
      sessionId: fc.option(fc.string()),
      segment: fc.option(fc.constantFrom('gold', 'silver', 'low-income', 'senior')),
      channel: fc.option(fc.constantFrom('pos', 'web')),
    });
    fc.assert(
      fc.property(scenarioArb, requesterArb, requesterArb, (s, first, second) => {
        const requests: PriceRequest[] = [
          { pricing: scenarioInput(s), requester: first },
          { pricing: scenarioInput(s), requester: second },
        ];
        const [a, b] = requests.map((request) => {
          const plan = planPrice(request.pricing);
          return { decision: decidePrice(plan, runModel([plan], s)), key: decisionFingerprint(request.pricing, '2030-01-01') };
        });
        expect(a).toEqual(b);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses, at compile time, a pricing input that carries the customer', () => {
    const input = pricingInput();
    // @ts-expect-error customer attributes are not pricing inputs
    const withCustomer: PricingInput = { ...input, customerId: 'c-42', segment: 'gold' };
    const plan = planPrice(withCustomer);
    const demand = demandFor(plan, linear);
    expect(decidePrice(plan, demand)).toEqual(decidePrice(planPrice(input), demand));
    expect(expectedOutcome(4.3, 35.5, plan.terms).profit).toBeCloseTo(81.65, 10);
  });
});
