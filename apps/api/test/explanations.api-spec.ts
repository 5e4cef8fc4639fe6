import { DEMAND_FEATURES } from '@dynaprice/pricing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { ModelRegistry } from '../src/models/model-registry.service';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';
import { lightGbmStyle, servedCard } from './support/onnx-models';

const HOUR = 3_600_000;

interface Attribution {
  method: string;
  link: string;
  baseValue: number;
  rawPrediction: number;
  additivityError: number;
  modelRawOutput: number;
  predictedUnits: number;
  baseUnits: number;
  backgroundRows: number | null;
  features: Array<{ feature: string; index: number; value: number | null; attribution: number }>;
}

function sumOf(attribution: Attribution): number {
  return attribution.features.reduce((sum, feature) => sum + feature.attribution, 0);
}

describe(`GET /v1/decisions/:id/explanation (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let skuCodes: string[];

  beforeAll(async () => {
    api = await startTestApp({ ...SMALL_DEMO, DECISION_REUSE: 'false' });
    skuCodes = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
  });
  afterAll(() => api.close());

  async function price(storeId: string, codes: string[]): Promise<Array<{ decisionId: string; skuCode: string; price: number; reason: string; modelVersion: string | null }>> {
    const response = await api.request('POST', '/v1/prices', { storeId, items: codes.map((skuCode) => ({ skuCode })) });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  it('attributes the demand model’s raw score at the chosen price, feature by feature, additively, with runner-ups and what bound the price', async () => {
    const lines = await price('S01', skuCodes.slice(0, 10));
    const line = lines.find((l) => l.reason === 'model' || l.reason === 'guardrail') ?? (lines[0] as (typeof lines)[number]);
    const response = await api.request('GET', `/v1/decisions/${line.decisionId}/explanation`);
    expect(response.status).toBe(200);
    const body = response.body;
    const decision = (await api.request('GET', `/v1/decisions/${line.decisionId}`)).body;
    expect(body).toMatchObject({ decisionId: line.decisionId, storeId: 'S01', skuCode: line.skuCode, price: line.price, modelVersion: line.modelVersion, noAttribution: null });

    const attribution = body.attribution as Attribution;
    // The built-in trainer embeds node covers: exact path-dependent TreeSHAP of the Poisson log-link score.
    expect(attribution).toMatchObject({ method: 'path-dependent', link: 'log', backgroundRows: null });
    expect(attribution.features.map((f) => f.feature)).toEqual(DEMAND_FEATURES.map((f) => f.name));
    expect(attribution.features.map((f) => f.value)).toEqual(decision.features);
    expect(Math.abs(attribution.baseValue + sumOf(attribution) - attribution.rawPrediction)).toBeLessThan(1e-9);
    expect(attribution.additivityError).toBeLessThan(1e-9);
    // onnxruntime's float32 sum of the same leaves, and its units = exp(score).
    expect(Math.abs(attribution.rawPrediction - attribution.modelRawOutput)).toBeLessThan(1e-4);
    expect(attribution.predictedUnits).toBeCloseTo(Math.exp(attribution.modelRawOutput), 4);
    expect(attribution.baseUnits).toBeCloseTo(Math.exp(attribution.baseValue), 4);
    // Recorded expected units = demand capped by stock.
    expect(body.expectedUnits).toBeLessThanOrEqual(attribution.predictedUnits + 1e-3);

    expect(body.runnersUp.length).toBeGreaterThan(0);
    for (const runnerUp of body.runnersUp) {
      expect(runnerUp.price).not.toBe(line.price);
      expect(['excluded', 'lowerProfit', 'tieBreak']).toContain(runnerUp.lostBecause);
      expect(runnerUp.why).toEqual(expect.any(String));
      if (runnerUp.lostBecause === 'lowerProfit') expect(runnerUp.profitShortfall).toBeGreaterThan(0);
      if (runnerUp.lostBecause === 'excluded') expect(runnerUp.excludedBy).toEqual(expect.any(String));
    }
    expect(body.binding).toMatchObject({ reason: line.reason, legacyPrice: expect.any(Number), guardrails: expect.any(Object), summary: expect.any(String) });
  });

  it('is additive to 1e-9 for 1,000 random decisions of the demo model', async () => {
    // Decisions over a week of business time, every SKU of both stores, so the feature rows vary
    // (days to expiry, day of week, stock), then 1,000 of them drawn at random.
    const clock = api.app.get(Clock);
    const start = clock.now();
    const ids: string[] = [];
    for (let step = 0; ids.length < 1_400; step++) {
      clock.set(start + step * 5 * HOUR);
      for (const storeId of ['S01', 'S02']) for (const line of await price(storeId, skuCodes)) if (line.modelVersion) ids.push(line.decisionId);
    }
    clock.set(start);
    let seed = 12_345;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const sample = ids.map((id) => ({ id, key: random() })).sort((a, b) => a.key - b.key).slice(0, 1_000).map((entry) => entry.id);
    expect(new Set(sample).size).toBe(1_000);

    let worstAdditivity = 0;
    let worstVsOnnx = 0;
    const rows = new Set<string>();
    for (const id of sample) {
      const response = await api.request('GET', `/v1/decisions/${id}/explanation`);
      expect(response.status).toBe(200);
      const attribution = response.body.attribution as Attribution;
      rows.add(JSON.stringify(attribution.features.map((f) => f.value)));
      worstAdditivity = Math.max(worstAdditivity, Math.abs(attribution.baseValue + sumOf(attribution) - attribution.rawPrediction));
      worstVsOnnx = Math.max(worstVsOnnx, Math.abs(attribution.rawPrediction - attribution.modelRawOutput) / (1 + Math.abs(attribution.modelRawOutput)));
    }
    expect(worstAdditivity).toBeLessThan(1e-9);
    expect(worstVsOnnx).toBeLessThan(1e-5);
    // Not 1,000 copies of a few rows. (About 300 distinct rows: how many depends on the day the test
    // runs, which sets the lots' days to expiry; 299 on 2026-11-27 failed an earlier bound of 300.)
    expect(rows.size).toBeGreaterThan(150);
  }, 300_000);

  it('says why a legacy decision has no model attribution, and still explains what priced it', async () => {
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const [legacy] = (await dataSource.query(`SELECT id FROM price_decisions WHERE reason = 'legacy' AND model_version IS NULL LIMIT 1`)) as Array<{ id: string }>;
    expect(legacy).toBeDefined();
    const response = await api.request('GET', `/v1/decisions/${legacy?.id}/explanation`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ attribution: null, noAttribution: { code: 'NO_MODEL', message: expect.stringContaining('legacy markdown rule') }, runnersUp: [] });
    expect(response.body.binding).toMatchObject({ reason: 'legacy', summary: expect.stringContaining('legacy markdown rule') });
  });

  it('answers an unknown decision with 404 and a malformed id with 400, as problem+json', async () => {
    expect(expectProblem(await api.request('GET', '/v1/decisions/01890a5d-ac96-774b-bcce-b302099a8057/explanation'), 404).code).toBe('NOT_FOUND');
    expect(expectProblem(await api.request('GET', '/v1/decisions/not-a-uuid/explanation'), 400).field).toBe('id');
  });

  it('needs decisions:read', async () => {
    const [line] = await price('S02', skuCodes.slice(0, 1));
    expect((await api.as('finance').request('GET', `/v1/decisions/${line?.decisionId}/explanation`)).status).toBe(403);
    expect((await api.as('data-scientist').request('GET', `/v1/decisions/${line?.decisionId}/explanation`)).status).toBe(200);
  });

  it('explains a model uploaded without covers by interventional TreeSHAP against a stored background sample', async () => {
    await api.app.get(DecisionJournal).flush();
    const registry = api.app.get(ModelRegistry);
    const champion = (await registry.aliases()).get('champion') as string;
    const byo = await registry.register({ onnx: lightGbmStyle(), card: servedCard() }, 'upload', 'test');
    await registry.setAlias('champion', byo.id, 'test', 'explain a model without covers');
    try {
      const lines = await price('S01', skuCodes.slice(0, 5));
      expect(lines.every((l) => l.modelVersion === byo.id)).toBe(true);
      const first = await api.request('GET', `/v1/decisions/${lines[0]?.decisionId}/explanation`);
      expect(first.status).toBe(200);
      const attribution = first.body.attribution as Attribution & { backgroundSource: string };
      expect(attribution).toMatchObject({ method: 'interventional', link: 'identity', backgroundRows: 100, backgroundSource: expect.stringContaining('chosen by md5(decision id)') });
      expect(Math.abs(attribution.baseValue + sumOf(attribution) - attribution.rawPrediction)).toBeLessThan(1e-9);
      expect(attribution.predictedUnits).toBeCloseTo(attribution.rawPrediction, 5);
      // Features the two trees never read get nothing.
      for (const f of attribution.features) if (![0, 2, 3, 8].includes(f.index)) expect(f.attribution).toBe(0);
      // The background is stored: the same decision explains the same way again, also once read back from the table.
      await api.app.get(DecisionJournal).flush();
      const again = await api.request('GET', `/v1/decisions/${lines[0]?.decisionId}/explanation`);
      expect(again.body.attribution).toEqual(attribution);
      const dataSource = api.app.get<DataSource>(getDataSourceToken());
      const [stored] = (await dataSource.query(`SELECT row_count FROM explanation_backgrounds WHERE model_version = $1`, [byo.id])) as Array<{ row_count: number }>;
      expect(stored?.row_count).toBe(100);
    } finally {
      await registry.setAlias('champion', champion, 'test', 'restore');
    }
  });
});
