import { DEFAULT_GBDT_PARAMS, IDENTITY_PROGRAM, unitsProgram } from '@dynaprice/gbdt';
import { auditFairness } from '@dynaprice/fairness';
import { linkOf } from './explanations.service';
import { auditTable, gapsByAttribute, resolveAuditSettings } from './fairness-audits.service';
import { DEFAULT_AUDIT_ATTRIBUTES, expiryBand, toObservations, type PricedRow } from './fairness-observations';

describe(expiryBand.name, () => {
  it('keeps one band per day up to three days left, then 4-6 and 7+, and says when it does not know', () => {
    expect([-1, 0, 0.5, 1, 2, 2.9, 3, 4, 6, 7, 30].map(expiryBand)).toEqual(['0', '0', '0', '1', '2', '2', '3', '4-6', '4-6', '7+', '7+']);
    expect(expiryBand(null)).toBe('unknown');
    expect(expiryBand(Number.NaN)).toBe('unknown');
  });
});

describe(toObservations.name, () => {
  const stores = new Map<string, Record<string, unknown>>([
    ['S1', { incomeBand: 'low', flagship: true }],
    ['S2', { incomeBand: '' }],
  ]);
  const row = (overrides: Partial<PricedRow>): PricedRow => ({ storeId: 'S1', skuCode: 'A', price: 1.8, listPrice: 2, daysToExpiry: 2, day: '2026-03-01', segment: 'gold', ...overrides });

  it('indexes price by list price and carries store attributes and the segment under the declared names', () => {
    const { observations, skipped } = toObservations([row({})], DEFAULT_AUDIT_ATTRIBUTES, stores, ['store', 'segment']);
    expect(skipped).toBe(0);
    expect(observations).toEqual([
      { priceIndex: 0.9, segments: { incomeBand: 'low', loyaltyTier: 'gold' }, strata: { storeId: 'S1', skuCode: 'A', expiryBand: '2', day: '2026-03-01' } },
    ]);
  });

  it('takes only the sources asked for, drops rows without any attribute, and skips rows without a usable price', () => {
    const attributes = [...DEFAULT_AUDIT_ATTRIBUTES, { name: 'flagship', source: 'store' as const, strataKeys: ['skuCode' as const] }];
    expect(toObservations([row({})], attributes, stores, ['store']).observations[0]?.segments).toEqual({ incomeBand: 'low', flagship: 'true' });
    expect(toObservations([row({})], attributes, stores, ['segment']).observations[0]?.segments).toEqual({ loyaltyTier: 'gold' });
    // S2's income band is empty and the row has no segment: nothing to compare it by.
    expect(toObservations([row({ storeId: 'S2', segment: null })], attributes, stores, ['store', 'segment']).observations).toEqual([]);
    const bad = toObservations([row({ listPrice: null }), row({ price: 0 }), row({ listPrice: 0 })], attributes, stores, ['store']);
    expect(bad).toEqual({ observations: [], skipped: 3 });
  });
});

describe(resolveAuditSettings.name, () => {
  it('defaults to incomeBand (store, within SKU × expiry band) and loyaltyTier (segment, within store × SKU × expiry band)', () => {
    const settings = resolveAuditSettings({});
    expect(settings.attributes).toEqual(DEFAULT_AUDIT_ATTRIBUTES);
    expect(settings).toMatchObject({ bootstrapResamples: 1000, counterfactualSample: 100, thresholds: { maxStratifiedGap: 0.02, minStratifiedRatio: 0.98, maxRawGap: null } });
  });

  it('refuses two segment attributes and duplicate names', () => {
    expect(() => resolveAuditSettings({ attributes: [{ name: 'a', source: 'segment' }, { name: 'b', source: 'segment' }] })).toThrow(/at most one attribute with source segment/);
    expect(() => resolveAuditSettings({ attributes: [{ name: 'a', source: 'store' }, { name: 'a', source: 'segment' }] })).toThrow(/duplicates attribute a/);
  });
});

describe(auditTable.name, () => {
  it('summarises each attribute per source and reports the worst stratified gap per attribute for the metric', () => {
    const observations = [
      ...Array.from({ length: 40 }, () => ({ priceIndex: 1, segments: { tier: 'a' }, strata: { s: 1 } })),
      ...Array.from({ length: 40 }, () => ({ priceIndex: 1.05, segments: { tier: 'b' }, strata: { s: 1 } })),
    ];
    const offered = auditFairness(observations, { attributes: [{ name: 'tier', strataKeys: ['s'] }], bootstrap: { resamples: 0 } });
    const paid = auditFairness(observations.map((o) => ({ ...o, priceIndex: o.priceIndex === 1 ? 1 : 1.01 })), { attributes: [{ name: 'tier', strataKeys: ['s'] }], bootstrap: { resamples: 0 } });
    const table = auditTable(offered, paid, null);
    expect(table.map((r) => [r.source, r.attribute, r.status, r.stratifiedGap])).toEqual([
      ['offered', 'tier', 'fail', 0.05],
      ['paid', 'tier', 'pass', 0.01],
    ]);
    expect(table[0]?.segments).toEqual(['a=1.0000 (n=40)', 'b=1.0500 (n=40)']);
    expect(gapsByAttribute(table)).toEqual([{ attribute: 'tier', gap: 0.05 }]);
  });
});

describe(linkOf.name, () => {
  it('recognises the trainer’s Poisson and log1p steps, no steps, and anything else', () => {
    expect(linkOf(unitsProgram({ params: { ...DEFAULT_GBDT_PARAMS, loss: 'poisson' } }))).toBe('log');
    expect(linkOf(unitsProgram({ params: { ...DEFAULT_GBDT_PARAMS, targetTransform: 'log1p' } }))).toBe('log1p');
    expect(linkOf(IDENTITY_PROGRAM)).toBe('identity');
    expect(linkOf({ registers: 2, instructions: [{ op: 'relu', a: { reg: 0 }, out: 1 }], output: 1 })).toBe('other');
  });
});
