import { dailyInstantAtOrBefore } from '@dynaprice/kernel';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FairnessScheduleService } from '../src/fairness/fairness-schedule.service';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { injectSegmentSurcharge } from './support/discriminating-pricing';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface TableRow {
  source: 'offered' | 'paid' | 'counterfactual';
  attribute: string;
  status: string;
  stratifiedGap: number | null;
  moved: number | null;
}

function row(audit: { table: TableRow[] }, source: TableRow['source'], attribute: string): TableRow {
  const found = audit.table.find((r) => r.source === source && r.attribute === attribute);
  expect(found).toBeDefined();
  return found as TableRow;
}

async function metric(api: TestApp, line: RegExp): Promise<number | null> {
  const text = (await api.request('GET', '/metrics')).text;
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? null : Number(match.split(' ').pop());
}

describe(`fairness audits on constructed data (${TEST_DATABASE})`, () => {
  let api: TestApp;
  const base = Date.now() - 6 * HOUR;
  const window = { from: new Date(base - HOUR).toISOString(), to: new Date(base + 2 * HOUR).toISOString() };

  beforeAll(async () => {
    api = await startTestApp();
    for (const [id, incomeBand] of [
      ['S1', 'low'],
      ['S2', 'high'],
    ] as const) {
      expect((await api.request('POST', '/v1/stores', { id, name: `Store ${id}`, region: 'North', cluster: 'urban', timezone: 'UTC', attributes: { incomeBand } })).status).toBe(201);
    }
    for (const [code, listPrice] of [
      ['SKU-A', 2],
      ['SKU-B', 4],
    ] as const) {
      const sku = { code, name: code, category: 'dairy', unitCost: 0.5, listPrice, shelfLifeDays: 10, priceFloor: 0.5, priceCeiling: 10, salvageValue: 0 };
      expect((await api.request('POST', '/v1/skus', sku)).status).toBe(201);
    }
    // Paid prices with a known gap (index = unit price / list price):
    //   S1 (low income), SKU-A: silver 40 × 0.90, gold 20 × 0.93     S1, SKU-B: silver 20 × 1.00, gold 40 × 1.03
    //   S2 (high income, no loyalty segment), SKU-A: 60 × 0.90       S2, SKU-B: 20 × 1.00
    const events: Array<Record<string, unknown>> = [];
    const add = (storeId: string, skuCode: string, unitPrice: number, count: number, segment?: string): void => {
      for (let i = 0; i < count; i++) {
        events.push({
          idempotencyKey: `constructed:${storeId}:${skuCode}:${segment ?? 'none'}:${unitPrice}:${i}`,
          storeId,
          skuCode,
          quantity: 1,
          unitPrice,
          soldAt: new Date(base + i * 1_000).toISOString(),
          ...(segment ? { segment, customerId: `${segment}-${i % 7}` } : {}),
        });
      }
    };
    add('S1', 'SKU-A', 1.8, 40, 'silver');
    add('S1', 'SKU-A', 1.86, 20, 'gold');
    add('S1', 'SKU-B', 4, 20, 'silver');
    add('S1', 'SKU-B', 4.12, 40, 'gold');
    add('S2', 'SKU-A', 1.8, 60);
    add('S2', 'SKU-B', 4, 20);
    expect((await api.request('POST', '/v1/sales', { events })).body).toMatchObject({ received: 200, created: 200 });
  });
  afterAll(() => api.close());

  it('says an empty window has nothing to audit: insufficient-data, never pass', async () => {
    const response = await api.request('POST', '/v1/fairness/audits', { from: '2020-01-01T00:00:00Z', to: '2020-01-08T00:00:00Z' });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('insufficient-data');
    expect(response.body.reasons).toEqual(expect.arrayContaining([{ code: 'no-observations', message: 'offered: no observations in the window: nothing to audit' }, { code: 'no-observations', message: 'paid: no observations in the window: nothing to audit' }]));
    expect(response.body.counterfactual).toMatchObject({ status: 'insufficient-data', decisions: 0 });
    expect(await metric(api, /^dynaprice_fairness_audit_failed /)).toBe(0);
  });

  it('matches hand-computed raw and stratified means, gaps, ratio and KS on data with a known gap', async () => {
    const response = await api.request('POST', '/v1/fairness/audits', { ...window, bootstrapResamples: 200 });
    expect(response.status).toBe(201);
    const audit = response.body;
    expect(audit.paid.rows).toEqual({ sales: 200, skipped: 0 });
    const loyalty = audit.paid.attributes.find((a: { attribute: string }) => a.attribute === 'loyaltyTier');
    const income = audit.paid.attributes.find((a: { attribute: string }) => a.attribute === 'incomeBand');

    // loyaltyTier, within store × SKU × expiry band (both strata in S1):
    //   raw: silver (40·0.90 + 20·1.00)/60 = 0.93333…, gold (20·0.93 + 40·1.03)/60 = 0.99666…
    //   stratified, W = 60 per stratum: silver (0.90 + 1.00)/2 = 0.95, gold (0.93 + 1.03)/2 = 0.98
    //   relative gap 0.03 / 0.95 = 0.0315789…, ratio 0.95 / 0.98; KS D = 2/3 (at 0.90 and at 1.00).
    const raw = Object.fromEntries(loyalty.raw.segments.map((s: { segment: string; meanIndex: number }) => [s.segment, s.meanIndex]));
    expect(raw['silver']).toBeCloseTo(56 / 60, 10);
    expect(raw['gold']).toBeCloseTo(59.8 / 60, 10);
    expect(loyalty.raw.gap.relativeGap).toBeCloseTo(59.8 / 56 - 1, 10);
    const stratified = Object.fromEntries(loyalty.stratified.segments.map((s: { segment: string; meanIndex: number }) => [s.segment, s.meanIndex]));
    expect(stratified['silver']).toBeCloseTo(0.95, 10);
    expect(stratified['gold']).toBeCloseTo(0.98, 10);
    expect(loyalty.stratified).toMatchObject({ strataKeys: ['storeId', 'skuCode', 'expiryBand'], strata: 2, commonStrata: 2, coverage: 1 });
    expect(loyalty.stratified.gap).toMatchObject({ maxSegment: 'gold', minSegment: 'silver' });
    expect(loyalty.stratified.gap.relativeGap).toBeCloseTo(0.03 / 0.95, 10);
    expect(loyalty.stratified.gap.ratio).toBeCloseTo(0.95 / 0.98, 10);
    expect(loyalty.stratified.gap.relativeGapCi.low).toBeGreaterThan(0.02);
    expect(loyalty.distributions).toHaveLength(1);
    expect(loyalty.distributions[0].statistic).toBeCloseTo(2 / 3, 10);
    expect(loyalty.status).toBe('fail');
    expect(loyalty.reasons.map((r: { code: string }) => r.code)).toEqual(['stratified-gap', 'stratified-ratio']);

    // incomeBand, within SKU × expiry band (a store attribute): the raw gap is mix, the stratified one small.
    //   raw: low (S1) 115.8/120 = 0.965, high (S2) (54 + 20)/80 = 0.925 → 4.32 %
    //   stratified, W_A = 120, W_B = 80: low (120·0.91 + 80·1.02)/200 = 0.954, high (120·0.90 + 80·1.00)/200 = 0.94 → 1.49 %
    const incomeRaw = Object.fromEntries(income.raw.segments.map((s: { segment: string; meanIndex: number }) => [s.segment, s.meanIndex]));
    expect(incomeRaw['low']).toBeCloseTo(0.965, 10);
    expect(incomeRaw['high']).toBeCloseTo(0.925, 10);
    expect(income.raw.gap.relativeGap).toBeCloseTo(0.04 / 0.925, 10);
    expect(income.stratified.gap.relativeGap).toBeCloseTo(0.014 / 0.94, 10);
    expect(income.stratified.strataKeys).toEqual(['skuCode', 'expiryBand']);
    expect(income.status).toBe('pass');

    // No decision or request in the window: offered prices cannot be judged, and the verdict is fail.
    expect(audit.offered.status).toBe('insufficient-data');
    expect(audit.status).toBe('fail');
    expect(row(audit, 'paid', 'loyaltyTier')).toMatchObject({ status: 'fail', stratifiedGap: expect.closeTo(0.0315789, 6) });

    // Stored with inputs and results, listed newest first, and behind the alert metric.
    const stored = await api.request('GET', `/v1/fairness/audits/${audit.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(audit);
    expect(stored.body.inputs).toMatchObject({ bootstrapResamples: 200, counterfactualSample: 100, thresholds: { maxStratifiedGap: 0.02 } });
    const list = await api.request('GET', '/v1/fairness/audits?limit=1');
    expect(list.body.items[0]).toMatchObject({ id: audit.id, status: 'fail' });
    expect(list.body.items[0].offered).toBeUndefined();
    expect(await metric(api, /^dynaprice_fairness_audit_failed /)).toBe(1);
    expect(await metric(api, /^dynaprice_fairness_gap\{attribute="loyaltyTier"\} /)).toBeCloseTo(0.03 / 0.95, 6);
  });

  it('applies the thresholds it is given', async () => {
    const lenient = await api.request('POST', '/v1/fairness/audits', {
      ...window,
      attributes: [{ name: 'loyaltyTier', source: 'segment' }],
      thresholds: { maxStratifiedGap: 0.05, minStratifiedRatio: 0.9 },
      bootstrapResamples: 0,
    });
    expect(row(lenient.body, 'paid', 'loyaltyTier').status).toBe('pass');
    const strictRaw = await api.request('POST', '/v1/fairness/audits', {
      ...window,
      attributes: [{ name: 'incomeBand', source: 'store' }],
      thresholds: { maxRawGap: 0.02 },
      bootstrapResamples: 0,
    });
    expect(strictRaw.body.paid.attributes[0].reasons.map((r: { code: string }) => r.code)).toEqual(['raw-gap']);
  });

  it('refuses bad input with problem+json naming the field, and answers an unknown audit with 404', async () => {
    expect(expectProblem(await api.request('POST', '/v1/fairness/audits', { from: window.to, to: window.from }), 400).field).toBe('from');
    expect(expectProblem(await api.request('POST', '/v1/fairness/audits', { from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' }), 400).detail).toMatch(/at most 92 days/);
    const twoSegments = { attributes: [{ name: 'loyaltyTier', source: 'segment' }, { name: 'ageBand', source: 'segment' }] };
    expect(expectProblem(await api.request('POST', '/v1/fairness/audits', twoSegments), 400).field).toBe('attributes');
    expect(expectProblem(await api.request('POST', '/v1/fairness/audits', { attributes: [{ name: 'income band', source: 'store' }] }), 400).field).toBe('attributes[0].name');
    expect(expectProblem(await api.request('POST', '/v1/fairness/audits', { thresholds: { maxStratifiedGap: -1 } }), 400).field).toBe('thresholds.maxStratifiedGap');
    expect(expectProblem(await api.request('GET', '/v1/fairness/audits/01890a5d-ac96-774b-bcce-b302099a8057'), 404).code).toBe('NOT_FOUND');
  });

  it('lets data scientists run audits and finance read them, nobody else', async () => {
    expect((await api.as('data-scientist').request('POST', '/v1/fairness/audits', { ...window, bootstrapResamples: 0 })).status).toBe(201);
    expect((await api.as('merchandiser').request('POST', '/v1/fairness/audits', window)).status).toBe(403);
    expect((await api.as('finance').request('GET', '/v1/fairness/audits')).status).toBe(200);
    expect((await api.as('pos').request('GET', '/v1/fairness/audits')).status).toBe(403);
  });

  it('runs the daily audit once when business time crosses the scheduled instant, over the configured window', async () => {
    const defaults = await api.request('GET', '/v1/fairness/schedule');
    expect(defaults.body).toMatchObject({ enabled: true, at: '03:00', windowDays: 7, updatedBy: 'default' });
    const updated = await api.request('PUT', '/v1/fairness/schedule', { at: '04:30', windowDays: 2, bootstrapResamples: 100, attributes: [{ name: 'loyaltyTier', source: 'segment' }] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ enabled: true, at: '04:30', windowDays: 2, settings: { bootstrapResamples: 100, attributes: [{ name: 'loyaltyTier', source: 'segment' }] } });
    expect(expectProblem(await api.as('finance').request('PUT', '/v1/fairness/schedule', { enabled: false }), 403).code).toBe('FORBIDDEN');

    const schedule = api.app.get(FairnessScheduleService);
    const instant = dailyInstantAtOrBefore(base + DAY, 4 * 60 + 30);
    expect(await schedule.tick(instant - 60_000)).toBeNull();
    const ran = await schedule.tick(instant + 60_000);
    expect(ran).toMatchObject({ trigger: 'schedule', requestedBy: 'schedule', from: new Date(instant - 2 * DAY).toISOString(), to: new Date(instant).toISOString() });
    // A later check (or another instance) does not run it again.
    expect(await schedule.tick(instant + 120_000)).toBeNull();
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const runs = (await dataSource.query(`SELECT run_key FROM fairness_audits WHERE trigger = 'schedule'`)) as Array<{ run_key: string }>;
    expect(runs).toEqual([{ run_key: `schedule:${new Date(instant).toISOString()}` }]);

    await api.request('PUT', '/v1/fairness/schedule', { enabled: false });
    expect(await schedule.tick(instant + DAY + 60_000)).toBeNull();
    expect((await api.request('GET', '/v1/fairness/schedule')).body).toMatchObject({ enabled: false, nextRunAt: null, at: '04:30' });
  });

  it('sets the alert metrics at start-up from the latest stored audit', async () => {
    const failed = await api.request('POST', '/v1/fairness/audits', { ...window, bootstrapResamples: 0 });
    expect(failed.body.status).toBe('fail');
    // Another instance on the same database (PGlite in memory is shared within a test file).
    const other = await startTestApp({ DATABASE_SCHEMA: api.config.databaseSchema });
    try {
      expect(await metric(other, /^dynaprice_fairness_audit_failed /)).toBe(1);
      expect(await metric(other, /^dynaprice_fairness_gap\{attribute="loyaltyTier"\} /)).toBeCloseTo(0.03 / 0.95, 6);
      expect(await metric(other, /^dynaprice_fairness_gap\{attribute="incomeBand"\} /)).toBeCloseTo(0.014 / 0.94, 6);
    } finally {
      await other.close();
    }
  });
});

describe(`fairness audits of the demo retailer (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let skuCodes: string[];
  /** The demo's loyalty mix (the simulator's 60 / 30 / 10 % bronze / silver / gold). */
  const tiers = ['bronze', 'silver', 'bronze', 'gold', 'bronze', 'silver', 'bronze', 'bronze', 'silver', 'bronze'];

  beforeAll(async () => {
    // No legacy fallback when a loaded CI box is slow: every line is the model's price.
    api = await startTestApp({ ...SMALL_DEMO, MODEL_TIMEOUT_MS: '60000' });
    skuCodes = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code).slice(0, 20);
  });
  afterAll(() => api.close());

  /** POS traffic: 30 baskets across both stores in the demo's tier mix, each line bought once at its price. */
  async function traffic(tag: string): Promise<void> {
    const sales: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 30; i++) {
      const storeId = (Math.floor(i / 10) + i) % 2 === 0 ? 'S01' : 'S02';
      const segment = tiers[i % tiers.length] as string;
      const customerId = `${tag}-customer-${i % 9}`;
      const response = await api.request('POST', '/v1/prices', { storeId, customerId, segment, items: skuCodes.map((skuCode) => ({ skuCode })) });
      expect(response.status).toBe(200);
      const soldAt = new Date().toISOString();
      for (const line of response.body.items as Array<{ skuCode: string; price: number; decisionId: string }>) {
        sales.push({ idempotencyKey: `${tag}:${i}:${line.skuCode}`, storeId, skuCode: line.skuCode, quantity: 1, unitPrice: line.price, soldAt, decisionId: line.decisionId, customerId, segment });
      }
    }
    expect((await api.request('POST', '/v1/sales', { events: sales })).status).toBe(200);
    await api.app.get(DecisionJournal).flush();
  }

  it('passes: the demo retailer prices no segment differently', async () => {
    await traffic('fair');
    // The whole demo history (28 days of shelf prices and sales) and today's segmented traffic.
    const response = await api.request('POST', '/v1/fairness/audits', { from: new Date(Date.now() - 30 * DAY).toISOString(), to: new Date(Date.now() + 1_000).toISOString() });
    expect(response.status).toBe(201);
    const audit = response.body;
    expect(audit.reasons).toEqual([]);
    expect(audit.status).toBe('pass');
    expect(audit.table.map((r: TableRow) => `${r.source}:${r.attribute}:${r.status}`)).toEqual([
      'offered:incomeBand:pass',
      'offered:loyaltyTier:pass',
      'paid:incomeBand:pass',
      'paid:loyaltyTier:pass',
      'counterfactual:loyaltyTier:pass',
    ]);
    expect(audit.offered.rows.servedLines).toBe(600);
    expect(row(audit, 'offered', 'loyaltyTier').stratifiedGap).toBe(0);
    expect(audit.counterfactual).toMatchObject({ decisions: 100, repricings: 200, movedCount: 0, values: { loyaltyTier: ['bronze', 'gold', 'silver'] } });
    expect(await metric(api, /^dynaprice_fairness_audit_failed /)).toBe(0);
  }, 120_000);

  it('catches an injected +3 % for gold by the gap of offered and paid prices and by the counterfactual check', async () => {
    const from = new Date().toISOString();
    const uninstall = injectSegmentSurcharge(api.app, 'gold', 0.03);
    // Every line scored afresh while the rule is in: a surcharged decision must not be reused for other segments.
    api.config.decisionReuse = false;
    try {
      await traffic('surcharged');
      const response = await api.request('POST', '/v1/fairness/audits', {
        from,
        to: new Date(Date.now() + 1_000).toISOString(),
        attributes: [{ name: 'loyaltyTier', source: 'segment' }],
        counterfactualSample: 40,
      });
      expect(response.status).toBe(201);
      const audit = response.body;
      expect(audit.status).toBe('fail');
      for (const source of ['offered', 'paid'] as const) {
        const attribute = row(audit, source, 'loyaltyTier');
        expect(attribute.status).toBe('fail');
        expect(attribute.stratifiedGap).toBeGreaterThan(0.025);
        expect(attribute.stratifiedGap).toBeLessThan(0.035);
        const detail = audit[source].attributes[0];
        expect(detail.stratified.gap.maxSegment).toBe('gold');
        expect(detail.reasons.map((r: { code: string }) => r.code)).toContain('stratified-gap');
      }
      const counterfactual = audit.counterfactual;
      expect(counterfactual.status).toBe('fail');
      expect(counterfactual.movedCount).toBeGreaterThan(0);
      // Every moved price moved by the surcharge, to or from gold.
      for (const moved of counterfactual.moved) {
        expect(moved.from === 'gold' || moved.to === 'gold').toBe(true);
        const [low, high] = moved.to === 'gold' ? [moved.basePrice, moved.counterfactualPrice] : [moved.counterfactualPrice, moved.basePrice];
        expect(high / low).toBeCloseTo(1.03, 2);
      }
      expect(counterfactual.reasons[0].code).toBe('counterfactual');
      expect(await metric(api, /^dynaprice_fairness_audit_failed /)).toBe(1);
      expect(await metric(api, /^dynaprice_fairness_gap\{attribute="loyaltyTier"\} /)).toBeGreaterThan(0.025);
    } finally {
      uninstall();
      api.config.decisionReuse = true;
    }
    // The same check of the same engine without the rule passes again.
    const after = await api.request('POST', '/v1/fairness/audits', { from, attributes: [{ name: 'loyaltyTier', source: 'segment' }], counterfactualSample: 40, bootstrapResamples: 0 });
    expect(after.body.counterfactual).toMatchObject({ status: 'pass', movedCount: 0 });
  }, 120_000);
});
