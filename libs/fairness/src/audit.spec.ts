import { DomainError, SeededRandom } from '@dynaprice/kernel';
import fc from 'fast-check';
import { auditFairness, percentileInterval, quantileSorted, resolveFairnessThresholds, worstStatus } from './audit';
import type { AttributeAudit, PriceObservation } from './types';

/** `count` observations of one segment value in one store (SKU and expiry band fixed). */
function rows(tier: string, storeId: string, priceIndex: number, count: number): PriceObservation[] {
  return Array.from({ length: count }, () => ({ priceIndex, segments: { loyaltyTier: tier }, strata: { storeId, skuCode: 'MILK', expiryBand: '2-3d' } }));
}

function only(audit: { attributes: readonly AttributeAudit[] }): AttributeAudit {
  expect(audit.attributes).toHaveLength(1);
  return audit.attributes[0]!;
}

const segment = (a: AttributeAudit, name: string, view: 'raw' | 'stratified' = 'raw') => a[view].segments.find((s) => s.segment === name)!;

describe(auditFairness.name, () => {
  describe('hand-computed means', () => {
    // Store A: gold 1.00, 1.02; none 0.98, 1.00.  Store B: gold 0.90; none 0.88, 0.90, 0.92.
    const observations = [
      ...rows('gold', 'A', 1.0, 1),
      ...rows('gold', 'A', 1.02, 1),
      ...rows('none', 'A', 0.98, 1),
      ...rows('none', 'A', 1.0, 1),
      ...rows('gold', 'B', 0.9, 1),
      ...rows('none', 'B', 0.88, 1),
      ...rows('none', 'B', 0.9, 1),
      ...rows('none', 'B', 0.92, 1),
    ];
    const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'], thresholds: { minObservationsPerSegment: 1 }, bootstrap: { resamples: 200 } }));

    it('reports the raw mean index and count per segment', () => {
      expect(segment(audit, 'gold')).toMatchObject({ count: 3, eligible: true });
      expect(segment(audit, 'gold').meanIndex).toBeCloseTo(2.92 / 3, 12);
      expect(segment(audit, 'none')).toMatchObject({ count: 5 });
      expect(segment(audit, 'none').meanIndex).toBeCloseTo(0.936, 12);
    });

    it('reports the raw gap in index points, relative to the cheaper segment, and the min/max ratio', () => {
      expect(audit.raw.gap).toMatchObject({ maxSegment: 'gold', minSegment: 'none' });
      expect(audit.raw.gap!.gap).toBeCloseTo(2.92 / 3 - 0.936, 12);
      expect(audit.raw.gap!.relativeGap).toBeCloseTo(2.92 / 3 / 0.936 - 1, 12);
      expect(audit.raw.gap!.ratio).toBeCloseTo(0.936 / (2.92 / 3), 12);
    });

    it('standardises each segment to the pooled stratum weights (4 and 4 observations)', () => {
      // gold: (4·1.01 + 4·0.90) / 8 = 0.955; none: (4·0.99 + 4·0.90) / 8 = 0.945.
      expect(audit.stratified).toMatchObject({ strata: 2, commonStrata: 2, coverage: 1 });
      expect(segment(audit, 'gold', 'stratified').meanIndex).toBeCloseTo(0.955, 12);
      expect(segment(audit, 'none', 'stratified').meanIndex).toBeCloseTo(0.945, 12);
      expect(audit.stratified.gap!.relativeGap).toBeCloseTo(0.01 / 0.945, 12);
    });

    it('passes when the stratified gap (1.06 %) is within the default 2 %', () => {
      expect(audit.status).toBe('pass');
      expect(audit.reasons).toEqual([]);
    });

    it('compares the raw distributions of every pair of segments', () => {
      // gold {0.90, 1.00, 1.02} vs none {0.88, 0.90, 0.92, 0.98, 1.00}: largest CDF gap 0.6 − 0 at 0.98 → 3/5 − 1/3.
      expect(audit.distributions).toHaveLength(1);
      expect(audit.distributions[0]).toMatchObject({ segmentA: 'gold', segmentB: 'none', countA: 3, countB: 5 });
      expect(audit.distributions[0]!.statistic).toBeCloseTo(0.8 - 1 / 3, 12);
    });
  });

  describe("Simpson's paradox", () => {
    // Store X prices at list (1.00), clearance store Y at 0.90.
    it('does not mistake a mix of stores for discrimination (raw gap 6.5 %, stratified gap 0)', () => {
      // gold: 10 in X, 40 in Y → raw 0.92; none: 40 in X, 10 in Y → raw 0.98.
      const observations = [...rows('gold', 'X', 1, 10), ...rows('gold', 'Y', 0.9, 40), ...rows('none', 'X', 1, 40), ...rows('none', 'Y', 0.9, 10)];
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'] }));
      expect(segment(audit, 'gold').meanIndex).toBeCloseTo(0.92, 12);
      expect(segment(audit, 'none').meanIndex).toBeCloseTo(0.98, 12);
      expect(audit.raw.gap!.relativeGap).toBeCloseTo(0.06 / 0.92, 12);
      expect(segment(audit, 'gold', 'stratified').meanIndex).toBeCloseTo(0.95, 12);
      expect(segment(audit, 'none', 'stratified').meanIndex).toBeCloseTo(0.95, 12);
      expect(audit.stratified.gap!.gap).toBeCloseTo(0, 12);
      expect(audit.status).toBe('pass');

      const strict = only(auditFairness(observations, { attributes: ['loyaltyTier'], thresholds: { maxRawGap: 0.05 } }));
      expect(strict.status).toBe('fail');
      expect(strict.reasons.map((r) => r.code)).toEqual(['raw-gap']);
    });

    it('finds discrimination that the mix hides (raw gap 0, stratified gap 5 %)', () => {
      // gold pays 5 % more in both stores but shops mostly in the cheap one:
      // gold 20 × 1.05 in X, 40 × 0.945 in Y → raw 0.98; none 40 × 1.00 in X, 10 × 0.90 in Y → raw 0.98.
      const observations = [...rows('gold', 'X', 1.05, 20), ...rows('gold', 'Y', 0.945, 40), ...rows('none', 'X', 1, 40), ...rows('none', 'Y', 0.9, 10)];
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'] }));
      expect(audit.raw.gap!.gap).toBeCloseTo(0, 12);
      // W_X = 60, W_Y = 50: gold (60·1.05 + 50·0.945)/110 = 110.25/110; none (60 + 45)/110 = 105/110.
      expect(segment(audit, 'gold', 'stratified').meanIndex).toBeCloseTo(110.25 / 110, 12);
      expect(segment(audit, 'none', 'stratified').meanIndex).toBeCloseTo(105 / 110, 12);
      expect(audit.stratified.gap).toMatchObject({ maxSegment: 'gold', minSegment: 'none' });
      expect(audit.stratified.gap!.relativeGap).toBeCloseTo(0.05, 12);
      expect(audit.stratified.gap!.ratio).toBeCloseTo(105 / 110.25, 12);
      expect(audit.status).toBe('fail');
      expect(audit.reasons.map((r) => r.code)).toEqual(['stratified-gap', 'stratified-ratio']);
      expect(audit.reasons[0]!.message).toBe('stratified gap 5.00 % (gold vs none) exceeds 2.00 %');
    });
  });

  describe('insufficient data', () => {
    it('says so for an empty window instead of passing', () => {
      const audit = auditFairness([], { attributes: ['loyaltyTier', 'ageBand'] });
      expect(audit.status).toBe('insufficient-data');
      expect(audit.reasons[0]).toEqual({ code: 'no-observations', message: 'no observations in the window: nothing to audit' });
      expect(audit.attributes.map((a) => a.status)).toEqual(['insufficient-data', 'insufficient-data']);
    });

    it('names a segment with too few observations', () => {
      const audit = only(auditFairness([...rows('gold', 'X', 1, 40), ...rows('none', 'X', 1, 40), ...rows('silver', 'X', 1, 5)], { attributes: ['loyaltyTier'] }));
      expect(audit.status).toBe('insufficient-data');
      expect(audit.reasons).toEqual([{ code: 'too-few-observations', message: 'fewer than 30 observations in silver (5)' }]);
      expect(segment(audit, 'silver').eligible).toBe(false);
      expect(audit.stratified.segments.map((s) => s.segment)).toEqual(['gold', 'none']);
    });

    it('still fails when the well-observed segments show a gap', () => {
      const audit = only(auditFairness([...rows('gold', 'X', 1.05, 40), ...rows('none', 'X', 1, 40), ...rows('silver', 'X', 1, 5)], { attributes: ['loyaltyTier'] }));
      expect(audit.status).toBe('fail');
      expect(audit.reasons.map((r) => r.code)).toEqual(['stratified-gap', 'stratified-ratio', 'too-few-observations']);
    });

    it('says so when only one segment is observed', () => {
      const audit = only(auditFairness(rows('gold', 'X', 1, 50), { attributes: ['loyaltyTier'] }));
      expect(audit.status).toBe('insufficient-data');
      expect(audit.reasons.map((r) => r.code)).toEqual(['single-segment']);
    });

    it('says so when no observation carries the attribute', () => {
      const audit = auditFairness(rows('gold', 'X', 1, 50), { attributes: ['loyaltyTier', 'ageBand'] });
      expect(audit.status).toBe('insufficient-data');
      expect(audit.attributes[1]!.reasons.map((r) => r.code)).toEqual(['no-observations']);
      expect(audit.reasons.map((r) => r.message)).toContain('ageBand: no observation carries this attribute');
    });

    it('cannot compare an attribute fixed per store within stores, and can across them', () => {
      const byIncome = (income: string, storeId: string, priceIndex: number): PriceObservation[] =>
        Array.from({ length: 40 }, (_, i) => ({ priceIndex, segments: { incomeBand: income }, strata: { storeId, skuCode: `S${i % 2}`, expiryBand: 1 } }));
      const observations = [...byIncome('low', 'A', 1), ...byIncome('high', 'B', 1.04)];
      const withinStore = only(auditFairness(observations, { attributes: ['incomeBand'] }));
      expect(withinStore.status).toBe('insufficient-data');
      expect(withinStore.reasons.map((r) => r.code)).toEqual(['no-common-strata']);

      const acrossStores = only(auditFairness(observations, { attributes: [{ name: 'incomeBand', strataKeys: ['skuCode', 'expiryBand'] }] }));
      expect(acrossStores.stratified).toMatchObject({ strataKeys: ['skuCode', 'expiryBand'], commonStrata: 2 });
      expect(acrossStores.status).toBe('fail');
      expect(acrossStores.stratified.gap!.relativeGap).toBeCloseTo(0.04, 12);
    });

    it('says so when the common strata hold too few observations of a segment', () => {
      // Only 10 gold observations share a store with none; the other 30 are alone in store G.
      const observations = [...rows('gold', 'X', 1, 10), ...rows('gold', 'G', 1, 30), ...rows('none', 'X', 1, 40)];
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'] }));
      expect(audit.status).toBe('insufficient-data');
      expect(audit.reasons.map((r) => r.code)).toEqual(['thin-common-strata']);
      expect(audit.stratified.coverage).toBeCloseTo(50 / 80, 12);
      expect(audit.stratified.gap).toBeNull();
    });
  });

  describe('thresholds', () => {
    const observations = [...rows('gold', 'X', 1.015, 40), ...rows('none', 'X', 1, 40)];

    it('fails at the configured gap instead of the default 2 %', () => {
      expect(only(auditFairness(observations, { attributes: ['loyaltyTier'] })).status).toBe('pass');
      const strict = only(auditFairness(observations, { attributes: ['loyaltyTier'], thresholds: { maxStratifiedGap: 0.01, minStratifiedRatio: null } }));
      expect(strict.reasons.map((r) => r.code)).toEqual(['stratified-gap']);
    });

    it('fails on the ratio alone when only the ratio is strict', () => {
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'], thresholds: { minStratifiedRatio: 0.99 } }));
      expect(audit.reasons.map((r) => r.code)).toEqual(['stratified-ratio']);
    });

    it('fails on a material and significant KS difference when a KS limit is set', () => {
      // Same mean (1.00), different spread: gold always 1.00, none uniform on 0.90, 0.91, …, 1.10.
      // D = F_gold(1.00) − F_none(1.00) = 1 − 11/21 = 10/21.
      const at = (tier: string, cents: (i: number) => number): PriceObservation[] =>
        Array.from({ length: 420 }, (_, i) => ({ priceIndex: cents(i) / 100, segments: { loyaltyTier: tier }, strata: { storeId: 'X', skuCode: 'S', expiryBand: 1 } }));
      const data = [...at('gold', () => 100), ...at('none', (i) => 90 + (i % 21))];
      const audit = only(auditFairness(data, { attributes: ['loyaltyTier'], thresholds: { maxKsStatistic: 0.3 } }));
      expect(audit.distributions[0]!.statistic).toBeCloseTo(10 / 21, 12);
      expect(audit.distributions[0]!.pValue).toBeLessThan(1e-10);
      expect(audit.reasons.map((r) => r.code)).toEqual(['distribution']);
      expect(only(auditFairness(data, { attributes: ['loyaltyTier'], thresholds: { maxKsStatistic: 0.5 } })).status).toBe('pass');
      expect(only(auditFairness(data, { attributes: ['loyaltyTier'] })).status).toBe('pass');
    });

    it('refuses invalid thresholds and options', () => {
      expect(() => resolveFairnessThresholds({ maxStratifiedGap: -1 })).toThrow(DomainError);
      expect(() => resolveFairnessThresholds({ minStratifiedRatio: 1.5 })).toThrow('thresholds.minStratifiedRatio');
      expect(() => resolveFairnessThresholds({ minObservationsPerSegment: 0 })).toThrow('minObservationsPerSegment');
      expect(() => auditFairness([], { attributes: [] })).toThrow('attributes');
      expect(() => auditFairness([], { attributes: ['a', 'a'] })).toThrow('duplicates attribute a');
      expect(() => auditFairness([], { attributes: ['a'], bootstrap: { confidence: 1 } })).toThrow('bootstrap.confidence');
    });
  });

  describe('input validation', () => {
    it('refuses a non-positive or non-finite price index, naming the row', () => {
      const bad = [...rows('gold', 'X', 1, 2), { priceIndex: 0, segments: { loyaltyTier: 'gold' }, strata: { storeId: 'X', skuCode: 'S', expiryBand: 1 } }];
      expect(() => auditFairness(bad, { attributes: ['loyaltyTier'] })).toThrow('observations[2].priceIndex');
    });

    it('refuses an observation without a stratum key', () => {
      const bad: PriceObservation[] = [{ priceIndex: 1, segments: { loyaltyTier: 'gold' }, strata: { storeId: 'X', skuCode: 'S' } }];
      expect(() => auditFairness(bad, { attributes: ['loyaltyTier'] })).toThrow('observations[0].strata.expiryBand');
    });
  });

  describe('bootstrap', () => {
    const rng = new SeededRandom(11);
    const tiers = ['none', 'silver', 'gold'];
    const observations: PriceObservation[] = Array.from({ length: 6000 }, () => ({
      priceIndex: 1 + rng.normal(0, 0.05),
      segments: { loyaltyTier: rng.pick(tiers) },
      strata: { storeId: `S${rng.int(0, 4)}`, skuCode: `K${rng.int(0, 9)}`, expiryBand: rng.int(0, 2) },
    }));

    it('reproduces every interval bit for bit with the same seed', () => {
      const first = auditFairness(observations, { attributes: ['loyaltyTier'], bootstrap: { resamples: 300, seed: 42 } });
      const second = auditFairness(observations, { attributes: ['loyaltyTier'], bootstrap: { resamples: 300, seed: 42 } });
      expect(second).toEqual(first);
      const other = auditFairness(observations, { attributes: ['loyaltyTier'], bootstrap: { resamples: 300, seed: 43 } });
      expect(only(other).raw.segments[0]!.ci).not.toEqual(only(first).raw.segments[0]!.ci);
      expect(only(other).raw.segments[0]!.meanIndex).toBe(only(first).raw.segments[0]!.meanIndex);
    });

    it('gives an attribute the same intervals whatever other attributes are declared', () => {
      const withAge = observations.map((o, i) => ({ ...o, segments: { ...o.segments, ageBand: i % 2 === 0 ? 'young' : 'old' } }));
      const alone = auditFairness(withAge, { attributes: ['loyaltyTier'], bootstrap: { resamples: 100 } });
      const both = auditFairness(withAge, { attributes: ['ageBand', 'loyaltyTier'], bootstrap: { resamples: 100 } });
      expect(both.attributes[1]).toEqual(alone.attributes[0]);
    });

    it('brackets each mean with an interval as wide as the normal theory says (±1.96 σ/√n)', () => {
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'], bootstrap: { resamples: 1000 } }));
      for (const s of audit.raw.segments) {
        const expectedHalfWidth = (1.96 * 0.05) / Math.sqrt(s.count);
        expect(s.ci!.low).toBeLessThan(s.meanIndex);
        expect(s.ci!.high).toBeGreaterThan(s.meanIndex);
        expect((s.ci!.high - s.ci!.low) / 2 / expectedHalfWidth).toBeGreaterThan(0.85);
        expect((s.ci!.high - s.ci!.low) / 2 / expectedHalfWidth).toBeLessThan(1.15);
      }
      expect(audit.stratified.gap!.gapCi!.low).toBeGreaterThanOrEqual(0);
      expect(audit.stratified.gap!.ratioCi!.high).toBeLessThanOrEqual(1);
    });

    it('computes no interval with zero resamples', () => {
      const audit = only(auditFairness(observations, { attributes: ['loyaltyTier'], bootstrap: { resamples: 0 } }));
      expect(audit.raw.segments[0]!.ci).toBeNull();
      expect(audit.stratified.gap!.gapCi).toBeNull();
    });
  });

  describe('stratified estimate (properties)', () => {
    const cellCounts = fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.5, max: 1.5, noNaN: true })), {
      minLength: 1,
      maxLength: 8,
    });
    const build = (cells: [number, number, number][], factor: number): PriceObservation[] =>
      cells.flatMap(([countA, countB, level], k) => [
        ...Array.from({ length: countA }, () => ({ priceIndex: level, segments: { tier: 'a' }, strata: { storeId: `S${k}`, skuCode: 'K', expiryBand: 0 } })),
        ...Array.from({ length: countB }, () => ({ priceIndex: level * factor, segments: { tier: 'b' }, strata: { storeId: `S${k}`, skuCode: 'K', expiryBand: 0 } })),
      ]);

    it('shows no gap whatever the mix when every stratum prices both segments alike', () => {
      fc.assert(
        fc.property(cellCounts, (cells) => {
          const audit = only(auditFairness(build(cells, 1), { attributes: ['tier'], thresholds: { minObservationsPerSegment: 1 }, bootstrap: { resamples: 0 } }));
          expect(Math.abs(audit.stratified.gap!.relativeGap)).toBeLessThan(1e-12);
          expect(audit.status).toBe('pass');
        }),
      );
    });

    it('recovers a uniform surcharge exactly whatever the mix', () => {
      fc.assert(
        fc.property(cellCounts, fc.double({ min: 1.001, max: 1.2, noNaN: true }), (cells, factor) => {
          const audit = only(auditFairness(build(cells, factor), { attributes: ['tier'], thresholds: { minObservationsPerSegment: 1 }, bootstrap: { resamples: 0 } }));
          expect(audit.stratified.gap!.relativeGap).toBeCloseTo(factor - 1, 9);
          expect(audit.stratified.gap!.maxSegment).toBe('b');
          expect(audit.status).toBe(factor - 1 > 0.02 ? 'fail' : 'pass');
        }),
      );
    });
  });
});

describe(worstStatus.name, () => {
  it('ranks fail over insufficient data over pass, and treats nothing as insufficient', () => {
    expect(worstStatus(['pass', 'insufficient-data', 'fail'])).toBe('fail');
    expect(worstStatus(['pass', 'insufficient-data'])).toBe('insufficient-data');
    expect(worstStatus(['pass', 'pass'])).toBe('pass');
    expect(worstStatus([])).toBe('insufficient-data');
  });
});

describe(percentileInterval.name, () => {
  it('takes the 2.5th and 97.5th percentiles by linear interpolation (numpy default), ignoring NaN', () => {
    // numpy.percentile(range(1, 102), [2.5, 97.5]) = [3.5, 98.5]
    const values = [Number.NaN, ...Array.from({ length: 101 }, (_, i) => i + 1)];
    const interval = percentileInterval(values, 0.95)!;
    expect(interval.low).toBeCloseTo(3.5, 12);
    expect(interval.high).toBeCloseTo(98.5, 12);
    expect(percentileInterval([Number.NaN], 0.95)).toBeNull();
    expect(quantileSorted([1, 2], 0.5)).toBe(1.5);
  });

  it('reads one column of a row-major matrix', () => {
    expect(percentileInterval([1, 10, 2, 20, 3, 30], 0.5, 2, 1)).toEqual({ low: 15, high: 25 });
  });
});
