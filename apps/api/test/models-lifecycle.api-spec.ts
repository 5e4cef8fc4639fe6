import { loadTreeEnsemble, type TreeEnsembleEvaluator } from '@dynaprice/gbdt';
import { SeededRandom } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, trainDemandModel } from '@dynaprice/pricing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ModelRegistry } from '../src/models/model-registry.service';
import { ServedModels } from '../src/models/served-models';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { multipart } from './support/onnx-models';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

interface Line {
  skuCode: string;
  decisionId: string;
  modelVersion: string | null;
  reason: string;
  reused: boolean;
}

describe(`model lifecycle: promote, roll back, hot swap (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let seeded: string;
  let refit: string;
  let skuCodes: string[];

  beforeAll(async () => {
    // A generous model time budget: embedded PGlite runs its queries on this thread, and a journal flush
    // can stall it past the default 250 ms; the swap test must see model failures, not those stalls.
    api = await startTestApp({ ...SMALL_DEMO, MODEL_TIMEOUT_MS: '10000' });
    seeded = (await api.app.get(ModelRegistry).aliases()).get('champion') as string;
    // A second model of the same history with other hyper-parameters: other bytes, other predictions.
    const data = await api.app.get(ModelRegistry).trainingSet();
    const refitted = trainDemandModel(data, { createdBy: 'spec', createdAt: '2026-03-02T00:00:00.000Z', params: { seed: 3, numTrees: 60, maxLeaves: 15 } });
    const form = multipart([{ name: 'model', value: refitted.onnx, filename: 'refit.onnx' }]);
    const uploaded = await api.request('POST', '/v1/models', form.body, { 'content-type': form.contentType });
    expect(uploaded.status).toBe(201);
    refit = uploaded.body.id;
    skuCodes = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
  });
  afterAll(() => api.close());

  const promote = (id: string, body: Record<string, unknown>): Promise<TestResponse> => api.request('POST', `/v1/models/${id}/promote`, body);

  async function price(storeId: string, codes: string[]): Promise<TestResponse> {
    return api.request('POST', '/v1/prices', { storeId, items: codes.map((skuCode) => ({ skuCode })) });
  }

  it('promotes to challenger, then to champion, each in one call recorded with who and why, serving it when the call returns', async () => {
    const toChallenger = await promote(refit, { alias: 'challenger', reason: 'candidate from the spring refit' });
    expect(toChallenger.status).toBe(200);
    expect(toChallenger.body).toMatchObject({
      alias: { alias: 'challenger', modelVersionId: refit, reason: 'candidate from the spring refit' },
      event: { alias: 'challenger', action: 'promote', fromVersionId: null, toVersionId: refit, reason: 'candidate from the spring refit' },
    });
    expect(api.app.get(ServedModels).get('challenger')?.version).toBe(refit);
    expect(api.app.get(ServedModels).get('champion')?.version).toBe(seeded);

    const toChampion = await promote(refit, { reason: 'won the A/B test: +14 % gross margin' });
    expect(toChampion.body.event).toMatchObject({ alias: 'champion', action: 'promote', fromVersionId: seeded, toVersionId: refit });
    expect(api.app.get(ServedModels).get('champion')?.version).toBe(refit);
    const [line] = (await price('S01', [skuCodes[0] as string])).body.items as Line[];
    expect(line?.modelVersion).toBe(refit);

    // Promoting what already serves changes nothing and records nothing.
    const again = await promote(refit, { reason: 'double click' });
    expect(again.status).toBe(200);
    expect(again.body.event).toBeNull();

    const history = await api.request('GET', '/v1/models/aliases/history');
    expect(history.body.slice(0, 3).map((e: { alias: string; action: string; fromVersionId: string | null; toVersionId: string }) => [e.alias, e.action, e.fromVersionId, e.toVersionId])).toEqual([
      ['champion', 'promote', seeded, refit],
      ['challenger', 'promote', null, refit],
      ['champion', 'promote', null, seeded],
    ]);
    // Who: the same caller the audit trail records for this client's price decisions.
    await api.app.get(DecisionJournal).flush();
    const decision = await api.request('GET', `/v1/decisions/${line?.decisionId}`);
    expect(history.body[0].actor).toBe(decision.body.caller);
    expect(history.body[2]).toMatchObject({ actor: 'seed', reason: 'default model trained on the demo history at first start' });
    const listed = await api.request('GET', '/v1/models');
    expect(listed.body.items.find((item: { id: string }) => item.id === refit).aliases.sort()).toEqual(['challenger', 'champion']);
  });

  it('rolls back in one call to the version served before, one step further per call, and says when there is none', async () => {
    const back = await api.request('POST', '/v1/models/aliases/champion/rollback', { reason: 'waste up 20 % since the promotion' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      alias: { alias: 'champion', modelVersionId: seeded, reason: 'waste up 20 % since the promotion' },
      event: { action: 'rollback', fromVersionId: refit, toVersionId: seeded },
    });
    expect(api.app.get(ServedModels).get('champion')?.version).toBe(seeded);
    const [line] = (await price('S02', [skuCodes[1] as string])).body.items as Line[];
    expect(line?.modelVersion).toBe(seeded);

    const none = expectProblem(await api.request('POST', '/v1/models/aliases/champion/rollback', { reason: 'further back' }), 422);
    expect(none.detail).toBe('champion has no earlier version to roll back to');
    const challengerNone = expectProblem(await api.request('POST', '/v1/models/aliases/challenger/rollback', { reason: 'further back' }), 422);
    expect(challengerNone.detail).toBe('challenger has no earlier version to roll back to');
    const champions = await api.request('GET', '/v1/models/aliases/history?alias=champion');
    expect(champions.body.map((e: { action: string }) => e.action)).toEqual(['rollback', 'promote', 'promote']);
  });

  it('refuses an unknown version, an unknown alias and a missing reason', async () => {
    expectProblem(await promote('m-000000000000', { reason: 'typo' }), 404);
    expect(expectProblem(await promote(refit, { alias: 'canary', reason: 'new alias' }), 400).field).toBe('alias');
    expect(expectProblem(await promote(refit, {}), 400).field).toBe('reason');
    expect(expectProblem(await api.request('POST', '/v1/models/aliases/canary/rollback', { reason: 'x y z' }), 400).field).toBe('alias');
    expect(api.app.get(ServedModels).get('champion')?.version).toBe(seeded);
  });

  it('lets data scientists promote, merchandisers only read, and POS systems nothing', async () => {
    expect((await api.as('merchandiser').request('GET', '/v1/models')).status).toBe(200);
    expectProblem(await api.as('merchandiser').request('POST', `/v1/models/${refit}/promote`, { alias: 'challenger', reason: 'not mine to do' }), 403);
    expectProblem(await api.as('pos').request('GET', '/v1/models'), 403);
    const byScientist = await api.as('data-scientist').request('POST', `/v1/models/${seeded}/promote`, { alias: 'challenger', reason: 'compare against the seed' });
    expect(byScientist.status).toBe(200);
    expectProblem(await api.anonymous.request('GET', '/v1/models'), 401);
  });

  it('feeds drift monitoring with the feature rows of the new decisions it makes, not of reused ones', async () => {
    const champion = api.app.get(ServedModels).get('champion')?.version as string;
    const rowsNow = async (): Promise<number> => (await api.request('GET', `/v1/models/${champion}/drift`)).body.window.rows as number;
    const before = await rowsNow();
    const codes = skuCodes.slice(10, 22);
    const lines = (await price('S01', codes)).body.items as Line[];
    const made = lines.filter((line) => !line.reused && line.modelVersion === champion).length;
    expect(made).toBeGreaterThan(0);
    for (let attempt = 0; attempt < 100 && (await rowsNow()) !== before + made; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await rowsNow()).toBe(before + made);
    const again = (await price('S01', codes)).body.items as Line[];
    expect(again.every((line) => line.reused)).toBe(true);
    expect(await rowsNow()).toBe(before + made);
    const drift = (await api.request('GET', `/v1/models/${champion}/drift`)).body;
    expect(drift).toMatchObject({ monitored: true, modelVersion: champion });
    expect(drift.features.map((f: { feature: string }) => f.feature)).toEqual(expect.arrayContaining(['price_ratio', 'day_of_week', 'velocity_7d']));
  });

  it('swaps the served model atomically: price requests during ten swaps all succeed and each decision names the model that priced it', async () => {
    const evaluators = new Map<string, TreeEnsembleEvaluator>();
    for (const id of [seeded, refit]) evaluators.set(id, loadTreeEnsemble(await api.app.get(ModelRegistry).artifact(id)));

    const responses: TestResponse[] = [];
    let done = false;
    const client = async (seed: number): Promise<void> => {
      const rng = new SeededRandom(seed);
      while (!done) {
        const codes = [...new Set(Array.from({ length: 4 }, () => skuCodes[rng.int(0, skuCodes.length - 1)] as string))];
        responses.push(await price(rng.next() < 0.5 ? 'S01' : 'S02', codes));
      }
    };
    const clients = Array.from({ length: 6 }, (_, i) => client(100 + i));
    const swaps: string[] = [];
    for (let swap = 0; swap < 10; swap++) {
      const target = swap % 2 === 0 ? refit : seeded;
      const seen = responses.length;
      while (responses.length < seen + 6) await new Promise((resolve) => setTimeout(resolve, 5));
      const swapped = await promote(target, { reason: `hot swap ${swap + 1} of 10` });
      expect(swapped.status).toBe(200);
      swaps.push(swapped.body.alias.modelVersionId);
    }
    const seen = responses.length;
    while (responses.length < seen + 6) await new Promise((resolve) => setTimeout(resolve, 5));
    done = true;
    await Promise.all(clients);

    expect(swaps).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? refit : seeded)));
    expect(responses.filter((response) => response.status !== 200).map((response) => [response.status, response.text])).toEqual([]);
    const lines = responses.flatMap((response) => response.body.items as Line[]);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.filter((line) => line.reason === 'fallback' || line.modelVersion === null || !evaluators.has(line.modelVersion))).toEqual([]);
    expect(api.logs.filter((entry) => entry['msg'] === 'model failed: legacy fallback')).toEqual([]);
    expect(new Set(lines.filter((line) => !line.reused).map((line) => line.modelVersion))).toEqual(new Set([seeded, refit]));

    // The decision's expected units are the named model's prediction at the chosen price.
    const journal = api.app.get(DecisionJournal);
    for (let attempt = 0; attempt < 20 && journal.backlog > 0; attempt++) await journal.flush();
    const ids = [...new Set(lines.map((line) => line.decisionId))];
    const rows = (await api.app.get<DataSource>(getDataSourceToken()).query(
      `SELECT id, model_version, features, expected_units, stock_units, detail->'expectedKnown' AS known FROM price_decisions WHERE id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{ id: string; model_version: string; features: number[]; expected_units: number; stock_units: string | number; known: boolean }>;
    expect(rows).toHaveLength(ids.length);
    const byLine = new Map(lines.map((line) => [line.decisionId, line.modelVersion]));
    const wrong: string[] = [];
    let distinguishable = 0;
    for (const row of rows) {
      expect(row.model_version).toBe(byLine.get(row.id));
      if (!row.known) continue;
      const features = Float32Array.from(row.features.map(Number));
      expect(features).toHaveLength(DEMAND_FEATURE_COUNT);
      const stock = Number(row.stock_units);
      const units = (id: string): number => {
        const demand = (evaluators.get(id) as TreeEnsembleEvaluator).evaluate(features, 1)[0] as number;
        return Math.min(Math.max(demand, 0), Math.max(stock, 0));
      };
      const named = units(row.model_version);
      const other = units(row.model_version === seeded ? refit : seeded);
      if (Math.abs(named - Number(row.expected_units)) > 1e-3 * Math.max(1, named)) wrong.push(`${row.id} ${row.model_version}: expected ${row.expected_units}, model gives ${named}`);
      if (Math.abs(named - other) > 1e-2) distinguishable++;
    }
    expect(wrong).toEqual([]);
    expect(distinguishable).toBeGreaterThan(10);
  }, 120_000);
});
