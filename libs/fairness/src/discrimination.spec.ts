import { SeededRandom } from '@dynaprice/kernel';
import { auditFairness } from './audit';
import { counterfactualCheck, type CounterfactualDecision, type SegmentPricer } from './counterfactual';
import type { PriceObservation } from './types';

// A small market: store price levels, SKUs with list prices, expiry markdowns. Gold customers shop
// mostly in the premium stores, so the raw means differ by mix even under a fair rule.
interface DecisionInput {
  storeId: string;
  skuCode: string;
  expiryBand: number;
  listPrice: number;
}

const STORE_LEVEL: Record<string, number> = { S1: 1.0, S2: 0.96, S3: 1.04, S4: 0.94, S5: 1.02 };
const LIST_PRICE: Record<string, number> = { MILK: 1.29, BREAD: 2.49, SALAD: 3.99, FISH: 9.99, BERRIES: 4.49, YOGHURT: 0.89 };
const MARKDOWN = [0, 0.1, 0.25];
const TIERS = ['none', 'silver', 'gold'];

const round2 = (x: number): number => Math.round(x * 100) / 100;
const fairPrice: SegmentPricer<DecisionInput> = (input) =>
  round2(input.listPrice * (STORE_LEVEL[input.storeId] as number) * (1 - (MARKDOWN[input.expiryBand] as number)));
/** Test-only: a rule that charges gold customers 3 % more. */
const discriminatingPrice: SegmentPricer<DecisionInput> = (input, segments) =>
  round2((fairPrice(input, segments) as number) * (segments['loyaltyTier'] === 'gold' ? 1.03 : 1));

function decisions(count: number, seed: number): CounterfactualDecision<DecisionInput>[] {
  const rng = new SeededRandom(seed);
  const stores = Object.keys(STORE_LEVEL);
  const skus = Object.keys(LIST_PRICE);
  return Array.from({ length: count }, (_, i) => {
    const storeId = rng.pick(stores);
    const goldShare = (STORE_LEVEL[storeId] as number) > 1 ? 0.6 : 0.15;
    const tier = rng.next() < goldShare ? 'gold' : rng.pick(['none', 'silver']);
    const skuCode = rng.pick(skus);
    return { id: `d${i}`, input: { storeId, skuCode, expiryBand: rng.int(0, 2), listPrice: LIST_PRICE[skuCode] as number }, segments: { loyaltyTier: tier } };
  });
}

function observe(sample: CounterfactualDecision<DecisionInput>[], price: SegmentPricer<DecisionInput>): PriceObservation[] {
  return sample.map(({ input, segments }) => ({
    priceIndex: (price(input, segments) as number) / input.listPrice,
    segments,
    strata: { storeId: input.storeId, skuCode: input.skuCode, expiryBand: input.expiryBand },
  }));
}

describe('injected discriminating pricing rule', () => {
  const sample = decisions(20_000, 5);
  const options = { attributes: ['loyaltyTier'], bootstrap: { resamples: 300 } };

  it('passes the fair rule on the gap metric although the raw means differ by store mix', () => {
    const audit = auditFairness(observe(sample, fairPrice), options);
    const attribute = audit.attributes[0]!;
    expect(audit.status).toBe('pass');
    expect(attribute.raw.gap!.relativeGap).toBeGreaterThan(0.02);
    expect(attribute.stratified.gap!.relativeGap).toBeLessThan(1e-12);
    expect(attribute.stratified.coverage).toBe(1);
  });

  it('catches the rule with the stratified gap metric (about 3 %, interval above 2 %)', () => {
    const audit = auditFairness(observe(sample, discriminatingPrice), options);
    const gap = audit.attributes[0]!.stratified.gap!;
    expect(audit.status).toBe('fail');
    expect(audit.reasons.map((r) => r.code)).toContain('stratified-gap');
    expect(gap.maxSegment).toBe('gold');
    expect(gap.relativeGap).toBeGreaterThan(0.025);
    expect(gap.relativeGap).toBeLessThan(0.035);
    expect(gap.relativeGapCi!.low).toBeGreaterThan(0.02);
  });

  it('catches the rule with the counterfactual check and passes the fair rule', async () => {
    const checked = sample.slice(0, 300);
    const segmentValues = { loyaltyTier: TIERS };
    const fair = await counterfactualCheck(checked, fairPrice, { segmentValues });
    expect(fair).toMatchObject({ status: 'pass', decisions: 300, repricings: 600, moved: [] });

    const unfair = await counterfactualCheck(checked, discriminatingPrice, { segmentValues });
    expect(unfair.status).toBe('fail');
    expect(unfair.moved.length).toBeGreaterThan(100);
    expect(unfair.moved.every((m) => m.from === 'gold' || m.to === 'gold')).toBe(true);
    const first = unfair.moved[0]!;
    const decision = checked.find((d) => d.id === first.decisionId)!;
    expect(first.basePrice).toBe(discriminatingPrice(decision.input, decision.segments));
    expect(first.counterfactualPrice).toBe(discriminatingPrice(decision.input, { loyaltyTier: first.to }));
  });
});
