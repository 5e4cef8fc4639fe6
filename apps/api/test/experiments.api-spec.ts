import { getDataSourceToken } from '@nestjs/typeorm';
import { assignVariant, compareEstimates, hash, ratioEstimate, type AssignmentDefinition } from '@dynaprice/experiments';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { GuardrailMonitor } from '../src/experiments/guardrail-monitor';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

/** A JSON answer (the harness types bodies loosely). */
type Body = TestResponse['body'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HMAC_KEY = 'test-only-customer-hmac-key-0123456789';

interface Line {
  skuCode: string;
  price: number;
  decisionId: string;
  variant: string;
  modelVersion: string | null;
  reason: string;
}

interface Sku {
  code: string;
  category: string;
  unitCost: number;
  listPrice: number;
  salvageValue: number;
}

const legacyVsModel = (treatment: number): Array<Record<string, unknown>> => [
  { key: 'legacy', weight: Math.round((1 - treatment) * 1e6) / 1e6, kind: 'legacy' },
  { key: 'model', weight: treatment, kind: 'model', model: 'champion' },
];

/** Both arms priced by the legacy rule (an A/A test): for apps without a trained model. */
const aa = (treatment: number): Array<Record<string, unknown>> => [
  { key: 'control', weight: Math.round((1 - treatment) * 1e6) / 1e6, kind: 'legacy' },
  { key: 'treatment', weight: treatment, kind: 'legacy' },
];

const definitionOf = (experiment: { salt: string; unit: string; variants: Array<{ key: string; weight: number }> }): AssignmentDefinition => ({
  salt: experiment.salt,
  unit: experiment.unit as AssignmentDefinition['unit'],
  variants: experiment.variants.map((variant) => ({ key: variant.key, weight: variant.weight })),
});

/** The first salt that splits the units with at least `min` in every arm (assignment is deterministic, so this is too). */
function saltSplitting(units: readonly string[], treatment: number, min: number, prefix: string): string {
  for (let i = 0; i < 1_000; i++) {
    const salt = `${prefix}-${i}`;
    const definition: AssignmentDefinition = { salt, unit: 'store', variants: [{ key: 'a', weight: 1 - treatment }, { key: 'b', weight: treatment }] };
    const inModel = units.filter((unit) => assignVariant(definition, unit) === 'b').length;
    if (inModel >= min && units.length - inModel >= min) return salt;
  }
  throw new Error('no salt found');
}

async function create(api: TestApp, body: Record<string, unknown>): Promise<Body> {
  const response = await api.request('POST', '/v1/experiments', body);
  expect(response.status).toBe(201);
  return response.body;
}

async function act(api: TestApp, id: string, action: 'start' | 'stop' | 'ship' | 'rollback', extra: Record<string, unknown> = {}): Promise<Body> {
  const response = await api.request('POST', `/v1/experiments/${id}/${action}`, { reason: `${action} for the test`, ...extra });
  expect({ status: response.status, problem: response.status === 200 ? null : response.body }).toEqual({ status: 200, problem: null });
  return response.body;
}

describe(`experiments on the demo retailer (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let skus: Sku[];
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp(SMALL_DEMO);
    skus = (await api.request('GET', '/v1/skus?limit=1000')).body.items;
    db = api.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => api.close());

  const inCategory = (...categories: string[]): Sku[] => skus.filter((sku) => categories.includes(sku.category));

  async function price(storeId: string, codes: string[], extra: Record<string, unknown> = {}): Promise<Line[]> {
    const response = await api.request('POST', '/v1/prices', { storeId, items: codes.map((skuCode) => ({ skuCode })), ...extra });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  describe('definitions', () => {
    it('creates a draft and names the offending field of a bad definition', async () => {
      const draft = await create(api, { name: 'Draft', variants: legacyVsModel(0.3) });
      expect(draft).toMatchObject({ status: 'draft', version: 1, unit: 'store', salt: draft.id, controlVariant: 'legacy', hashVersion: 2, coverage: 1, scope: {} });
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ variants: [{ key: 'legacy', weight: 0.5, kind: 'legacy' }, { key: 'model', weight: 0.6, kind: 'model', model: 'champion' }] }, 'variants'],
        [{ variants: [{ key: 'legacy', weight: 0.5, kind: 'legacy' }, { key: 'model', weight: 0.5, kind: 'model' }] }, 'variants[1].model'],
        [{ variants: [{ key: 'legacy', weight: 0.5, kind: 'legacy' }, { key: 'model', weight: 0.5, kind: 'model', model: 'm-000000000000' }] }, 'variants[1].model'],
        [{ variants: [{ key: 'legacy', weight: '0.5', kind: 'legacy' }, { key: 'model', weight: 0.5, kind: 'model', model: 'champion' }] }, 'variants[0].weight'],
        [{ variants: legacyVsModel(0.3), scope: { storeIds: ['NOPE'] } }, 'scope.storeIds[0]'],
        [{ variants: legacyVsModel(0.3), controlVariant: 'other' }, 'controlVariant'],
        [{ variants: legacyVsModel(0.3), unit: 'planet' }, 'unit'],
        [{ variants: legacyVsModel(0.3), guardrails: [{ metric: 'happiness', tolerance: 0.1 }] }, 'guardrails[0].metric'],
      ];
      for (const [change, field] of cases) {
        const problem = expectProblem(await api.request('POST', '/v1/experiments', { name: 'Bad', ...change }), 400);
        expect(problem.errors?.map((error) => error.field)).toContain(field);
      }
      expect((await api.request('DELETE', `/v1/experiments/${draft.id}`)).status).toBe(204);
      expectProblem(await api.request('GET', `/v1/experiments/${draft.id}`), 404);
    });

    it('runs one experiment per scope and records every call with who, when and why', async () => {
      const produce = await create(api, { name: 'Produce', variants: legacyVsModel(0.5), scope: { categories: ['produce'] } });
      const everything = await create(api, { name: 'Everything', variants: legacyVsModel(0.5) });
      const s01Bakery = await create(api, { name: 'S01 bakery', variants: legacyVsModel(0.5), scope: { storeIds: ['S01'], categories: ['bakery'] } });
      expect(await act(api, produce.id, 'start')).toMatchObject({ status: 'running', version: 2, startedAt: expect.any(String) });
      expect(expectProblem(await api.request('POST', `/v1/experiments/${everything.id}/start`, { reason: 'overlaps produce' }), 409).detail).toContain(produce.id);
      // Disjoint categories may run side by side.
      await act(api, s01Bakery.id, 'start');
      expectProblem(await api.request('POST', `/v1/experiments/${produce.id}/start`, { reason: 'again' }), 409);
      expectProblem(await api.request('POST', `/v1/experiments/${produce.id}/stop`, {}), 400);
      await act(api, produce.id, 'stop');
      await act(api, s01Bakery.id, 'stop');
      await act(api, everything.id, 'start');
      await act(api, everything.id, 'stop');
      const history = (await api.request('GET', `/v1/experiments/${produce.id}/history`)).body;
      expect(history.map((entry: { version: number; action: string; reason: string }) => [entry.version, entry.action, entry.reason])).toEqual([
        [1, 'create', 'created'],
        [2, 'start', 'start for the test'],
        [3, 'stop', 'stop for the test'],
      ]);
      for (const entry of history) expect(entry).toMatchObject({ actor: expect.any(String), at: expect.any(String), snapshot: expect.objectContaining({ id: produce.id }) });
      expect(history[2].snapshot).toMatchObject({ status: 'stopped', stoppedAt: expect.any(String) });
      expect((await api.request('GET', '/v1/experiments?status=running')).body.total).toBe(0);
    });
  });

  it('assigns each store × SKU on the price path exactly as GrowthBook hashing does, and records exposures', async () => {
    const dairy = inCategory('dairy').map((sku) => sku.code);
    const experiment = await create(api, { name: 'Dairy by store × SKU', unit: 'store_sku', salt: 'dairy-q1', variants: legacyVsModel(0.5), scope: { categories: ['dairy'] } });
    await act(api, experiment.id, 'start');
    const definition = definitionOf(experiment as never);
    const seen = new Set<string>();
    for (const storeId of ['S01', 'S02']) {
      const lines = await price(storeId, [...dairy, inCategory('produce')[0]!.code]);
      for (const line of lines.slice(0, dairy.length)) {
        const expected = assignVariant(definition, `${storeId}:${line.skuCode}`);
        expect(line.variant).toBe(expected);
        seen.add(line.variant);
        if (line.variant === 'model') expect(line.modelVersion).toMatch(/^m-/);
        else expect([line.modelVersion, line.reason === 'model']).toEqual([null, false]);
        const decision = (await api.request('GET', `/v1/decisions/${line.decisionId}`)).body;
        expect(decision).toMatchObject({ experimentId: experiment.id, variant: expected });
        // The assignment endpoint gives the same answer, with GrowthBook's hash of salt + unit.
        const assignment = (await api.request('GET', `/v1/experiments/${experiment.id}/assignment?storeId=${storeId}&skuCode=${line.skuCode}`)).body;
        expect(assignment).toEqual({ experimentId: experiment.id, unit: 'store_sku', unitId: `${storeId}:${line.skuCode}`, hash: hash('dairy-q1', `${storeId}:${line.skuCode}`, 2), variant: expected, inScope: true });
      }
      // Outside the scope: default pricing, no experiment.
      expect(lines[dairy.length]).toMatchObject({ variant: 'default' });
    }
    expect([...seen].sort()).toEqual(['legacy', 'model']);
    const results = (await api.request('GET', `/v1/experiments/${experiment.id}/results`)).body;
    expect(results.variants.reduce((sum: number, variant: { unitCount: number }) => sum + variant.unitCount, 0)).toBe(2 * dairy.length);
    const [requests] = await db.query(
      `SELECT count(*)::int AS n FROM price_requests r WHERE EXISTS (SELECT 1 FROM price_decisions d WHERE d.id = ANY(r.decision_ids) AND d.experiment_id = $1)`,
      [experiment.id],
    );
    expect(requests.n).toBe(2);

    // Ship: the winner prices the whole scope; roll back: the control does; stop: back to default.
    await act(api, experiment.id, 'ship', { variant: 'model' });
    expect(new Set((await price('S01', dairy)).map((line) => line.variant))).toEqual(new Set(['model']));
    await act(api, experiment.id, 'rollback');
    expect(new Set((await price('S02', dairy)).map((line) => line.variant))).toEqual(new Set(['legacy']));
    await act(api, experiment.id, 'stop');
    expect(new Set((await price('S01', dairy)).map((line) => line.variant))).toEqual(new Set(['default']));
    const actions = (await api.request('GET', `/v1/experiments/${experiment.id}/history`)).body.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['create', 'start', 'ship', 'rollback', 'stop']);
  });

  it('prices a variant by a pinned model version as well as by an alias', async () => {
    const aliases = (await api.request('GET', '/v1/models/aliases')).body as Array<{ alias: string; modelVersionId: string }>;
    const champion = aliases.find((entry) => entry.alias === 'champion')!.modelVersionId;
    const experiment = await create(api, {
      name: 'Pinned vs alias',
      unit: 'store_sku',
      variants: [
        { key: 'pinned', weight: 0.5, kind: 'model', model: champion },
        { key: 'alias', weight: 0.5, kind: 'model', model: 'champion' },
      ],
      scope: { categories: ['produce'] },
    });
    await act(api, experiment.id, 'start');
    const lines = [...(await price('S01', inCategory('produce').map((sku) => sku.code))), ...(await price('S02', inCategory('produce').map((sku) => sku.code)))];
    expect(new Set(lines.map((line) => line.variant))).toEqual(new Set(['pinned', 'alias']));
    expect(new Set(lines.map((line) => line.modelVersion))).toEqual(new Set([champion]));
    await act(api, experiment.id, 'stop');
  });

  it('raising a running experiment’s treatment from 30 % to 40 % moves only units into treatment', async () => {
    const bread = inCategory('bakery')[0]!.code;
    const experiment = await create(api, { name: 'Bakery by customer', unit: 'customer', salt: 'bakery-customers', variants: legacyVsModel(0.3), scope: { categories: ['bakery'] } });
    await act(api, experiment.id, 'start');
    const customers = Array.from({ length: 300 }, (_, i) => `loyalty-${i}`);
    const variantsOf = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const customerId of customers) out.push((await price('S01', [bread], { customerId }))[0]!.variant);
      return out;
    };
    const before = await variantsOf();
    expectProblem(await api.request('PATCH', `/v1/experiments/${experiment.id}`, { salt: 'reshuffle', reason: 'not while running' }), 409);
    const updated = await api.request('PATCH', `/v1/experiments/${experiment.id}`, { variants: legacyVsModel(0.4), reason: 'first week clean: more treatment', expectedVersion: 2 });
    expect(updated.body).toMatchObject({ version: 3, status: 'running' });
    expectProblem(await api.request('PATCH', `/v1/experiments/${experiment.id}`, { name: 'stale', reason: 'stale write', expectedVersion: 2 }), 409);
    const after = await variantsOf();
    const moves = new Map<string, number>();
    before.forEach((variant, i) => {
      if (variant !== after[i]) moves.set(`${variant}→${after[i]}`, (moves.get(`${variant}→${after[i]}`) ?? 0) + 1);
    });
    expect([...moves.keys()]).toEqual(['legacy→model']);
    // The customers hashed into [0.6, 0.7) move: about 10 % of 300.
    expect(moves.get('legacy→model')).toBeGreaterThan(10);
    // Customers are hashed as their HMAC, exactly as the lib assigns it.
    const hmac = (id: string): string => createHmac('sha256', HMAC_KEY).update(id).digest('hex');
    const now = definitionOf({ ...experiment, variants: legacyVsModel(0.4) } as never);
    expect(after).toEqual(customers.map((id) => assignVariant(now, hmac(id))));
    // The assignment endpoint answers by the same HMAC, never by the raw id.
    const probe = (await api.request('GET', `/v1/experiments/${experiment.id}/assignment?customerHash=${hmac(customers[0]!)}`)).body;
    expect(probe).toMatchObject({ unit: 'customer', unitId: hmac(customers[0]!), variant: after[0] });
    expect(expectProblem(await api.request('GET', `/v1/experiments/${experiment.id}/assignment?customerId=${customers[0]}`), 400).field).toBe('customerId');
    const history = (await api.request('GET', `/v1/experiments/${experiment.id}/history`)).body;
    expect(history[2]).toMatchObject({ version: 3, action: 'update', reason: 'first week clean: more treatment', changes: ['variants'] });
    await act(api, experiment.id, 'stop');
  });

  it('falls back to legacy pricing by itself when a guardrail regresses, and records when and why', async () => {
    const scoped = inCategory('meat', 'ready_meals');
    const units = ['S01', 'S02'].flatMap((storeId) => scoped.map((sku) => `${storeId}:${sku.code}`));
    const salt = saltSplitting(units, 0.5, 8, 'waste-guard');
    const experiment = await create(api, {
      name: 'Fresh counters',
      unit: 'store_sku',
      salt,
      variants: legacyVsModel(0.5),
      scope: { categories: ['meat', 'ready_meals'] },
      // Tuned to catch a large regression on these few units (the default τ is a 5 % effect, for a whole chain).
      guardrails: [{ metric: 'wasteRate', tolerance: 0.05, mixingEffect: 0.5 }],
    });
    await act(api, experiment.id, 'start');
    const lines = new Map<string, Line>();
    for (const storeId of ['S01', 'S02']) for (const line of await price(storeId, scoped.map((sku) => sku.code))) lines.set(`${storeId}:${line.skuCode}`, line);
    // Forced regression: treatment units throw away far more than control units.
    const now = new Date().toISOString();
    const sales = units.map((unit, i) => {
      const [storeId, skuCode] = unit.split(':') as [string, string];
      return { idempotencyKey: `guard-sale-${i}`, storeId, skuCode, quantity: 5 + (i % 3), unitPrice: lines.get(unit)!.price, soldAt: now, decisionId: lines.get(unit)!.decisionId };
    });
    const waste = units.map((unit, i) => {
      const [storeId, skuCode] = unit.split(':') as [string, string];
      const heavy = lines.get(unit)!.variant === 'model';
      return { idempotencyKey: `guard-waste-${i}`, storeId, skuCode, quantity: heavy ? 8 + (i % 4) : 1 + (i % 2), wastedAt: now };
    });
    expect((await api.request('POST', '/v1/sales', { events: sales })).status).toBe(200);
    expect((await api.request('POST', '/v1/waste', { events: waste })).status).toBe(200);

    const results = (await api.request('GET', `/v1/experiments/${experiment.id}/results`)).body;
    const guardrail = results.comparisons[0].guardrails[0];
    expect(guardrail).toMatchObject({ metric: 'wasteRate', direction: 'lower_is_better', breached: true, reason: expect.stringContaining('above') });
    expect(results.fallbacksTriggered).toEqual([{ variant: 'model', at: expect.any(String), metrics: ['wasteRate'], reason: expect.stringContaining('wasteRate') }]);
    expect(results.experiment.fallbacks).toEqual(results.fallbacksTriggered);

    const stored = (await api.request('GET', `/v1/experiments/${experiment.id}`)).body;
    expect(stored).toMatchObject({ status: 'running', fallbacks: [expect.objectContaining({ variant: 'model' })], guardrailsCheckedAt: expect.any(String) });
    const history = (await api.request('GET', `/v1/experiments/${experiment.id}/history`)).body;
    expect(history.at(-1)).toMatchObject({ action: 'fallback', actor: 'system', reason: expect.stringContaining('model falls back to legacy pricing') });

    // The treatment's units are priced by the legacy rule now, still as the treatment arm of the experiment.
    const treated = units.filter((unit) => lines.get(unit)!.variant === 'model');
    const [storeId, skuCode] = treated[0]!.split(':') as [string, string];
    const [after] = await price(storeId, [skuCode]);
    expect(after).toMatchObject({ variant: 'model', modelVersion: null });
    expect(['legacy', 'guardrail']).toContain(after!.reason);
    expect((await api.request('GET', `/v1/decisions/${after!.decisionId}`)).body).toMatchObject({ experimentId: experiment.id });

    // Checking again (scheduled or on demand) records nothing twice.
    const again = (await api.request('POST', `/v1/experiments/${experiment.id}/guardrails/check`)).body;
    expect(again.fallbacksTriggered).toEqual([]);
    await api.app.get(GuardrailMonitor).runOnce();
    expect((await api.request('GET', `/v1/experiments/${experiment.id}/history`)).body.filter((entry: { action: string }) => entry.action === 'fallback')).toHaveLength(1);
    await act(api, experiment.id, 'stop');
  });

  it('does not fall back while the guardrail holds', async () => {
    const scoped = inCategory('produce');
    const units = ['S01', 'S02'].flatMap((storeId) => scoped.map((sku) => `${storeId}:${sku.code}`));
    const experiment = await create(api, {
      name: 'Produce, waste even',
      unit: 'store_sku',
      salt: saltSplitting(units, 0.5, 4, 'even'),
      variants: legacyVsModel(0.5),
      scope: { categories: ['produce'] },
      guardrails: [{ metric: 'wasteRate', tolerance: 0.05, mixingEffect: 0.5 }],
    });
    await act(api, experiment.id, 'start');
    const lines = new Map<string, Line>();
    for (const storeId of ['S01', 'S02']) for (const line of await price(storeId, scoped.map((sku) => sku.code))) lines.set(`${storeId}:${line.skuCode}`, line);
    // Both arms sell and waste alike.
    const now = new Date().toISOString();
    const sales = units.map((unit, i) => ({ idempotencyKey: `even-sale-${i}`, storeId: unit.split(':')[0], skuCode: unit.split(':')[1], quantity: 5 + (i % 3), unitPrice: lines.get(unit)!.price, soldAt: now }));
    const waste = units.map((unit, i) => ({ idempotencyKey: `even-waste-${i}`, storeId: unit.split(':')[0], skuCode: unit.split(':')[1], quantity: 1 + (i % 2), wastedAt: now }));
    expect((await api.request('POST', '/v1/sales', { events: sales })).body.decisionsLinked).toBe(units.length);
    expect((await api.request('POST', '/v1/waste', { events: waste })).status).toBe(200);
    const results = (await api.request('GET', `/v1/experiments/${experiment.id}/results`)).body;
    const guardrail = results.comparisons[0].guardrails[0];
    expect(guardrail).toMatchObject({ metric: 'wasteRate', breached: false, state: { looks: 1 } });
    expect(results.fallbacksTriggered).toEqual([]);
    expect((await api.request('GET', `/v1/experiments/${experiment.id}`)).body.fallbacks).toEqual([]);
    await act(api, experiment.id, 'stop');
  });
});

describe(`experiment results on a constructed scenario (${TEST_DATABASE})`, () => {
  const T0 = Date.parse('2026-06-10T08:00:00Z');
  const STORES = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'];
  const SKUS = [
    { code: 'MILK', category: 'dairy', unitCost: 1, listPrice: 2, shelfLifeDays: 7, salvageValue: 0.1 },
    { code: 'YOGURT', category: 'dairy', unitCost: 0.5, listPrice: 1.2, shelfLifeDays: 14, salvageValue: 0 },
  ];
  let api: TestApp;
  let clock: Clock;

  beforeAll(async () => {
    api = await startTestApp();
    clock = api.app.get(Clock);
    clock.set(T0 - 3 * DAY);
    for (const id of STORES) expect((await api.request('POST', '/v1/stores', { id, name: id, region: 'R', cluster: 'c', timezone: 'UTC' })).status).toBe(201);
    for (const sku of SKUS) expect((await api.request('POST', '/v1/skus', { name: sku.code, ...sku })).status).toBe(201);
  });
  afterAll(() => api.close());

  async function priceAll(): Promise<Map<string, Line>> {
    const lines = new Map<string, Line>();
    for (const storeId of STORES) {
      const response = await api.request('POST', '/v1/prices', { storeId, items: SKUS.map((sku) => ({ skuCode: sku.code })) });
      expect(response.status).toBe(200);
      for (const line of response.body.items as Line[]) lines.set(`${storeId}:${line.skuCode}`, line);
    }
    return lines;
  }

  it('matches tallies computed by hand: exposures, units, revenue, cost, waste, margin per exposure, lift, daily series', async () => {
    // Pre-period (3 days before the start): default pricing and one sale of MILK per store.
    const before = await priceAll();
    clock.set(T0 - 3 * DAY + 2 * HOUR);
    const preSales = STORES.map((storeId, i) => ({ idempotencyKey: `pre-${storeId}`, storeId, skuCode: 'MILK', quantity: 4 + i, unitPrice: 1.9, soldAt: new Date(T0 - 3 * DAY + HOUR).toISOString() }));
    expect((await api.request('POST', '/v1/sales', { events: preSales })).body).toMatchObject({ created: 6, decisionsLinked: 6 });
    expect(before.get('T1:MILK')?.variant).toBe('default');

    const salt = saltSplitting(STORES, 0.5, 3, 'scenario');
    clock.set(T0);
    const experiment = await create(api, { name: 'Scenario', unit: 'store', salt, variants: aa(0.5), prePeriodDays: 7 });
    await act(api, experiment.id, 'start');
    const arm = new Map(STORES.map((storeId) => [storeId, assignVariant(definitionOf(experiment as never), storeId) as string]));
    expect([...arm.values()].filter((variant) => variant === 'treatment')).toHaveLength(3);

    const day1 = await priceAll();
    clock.set(T0 + DAY);
    const day2 = await priceAll();
    for (const [unit, line] of [...day1, ...day2]) expect(line.variant).toBe(arm.get(unit.split(':')[0]!));

    // Day 2: per store i, MILK sold (2 + i) at 1.79 via an explicit day-1 decision and YOGURT (1 + i) at 0.99 linked
    // automatically (to the day-2 decision); MILK wasted (i % 3) + 1 at its unit cost 1.00 with salvage 0.10.
    const sales = STORES.flatMap((storeId, i) => [
      { idempotencyKey: `in-milk-${storeId}`, storeId, skuCode: 'MILK', quantity: 2 + i, unitPrice: 1.79, soldAt: new Date(T0 + DAY + HOUR).toISOString(), decisionId: day1.get(`${storeId}:MILK`)!.decisionId },
      { idempotencyKey: `in-yog-${storeId}`, storeId, skuCode: 'YOGURT', quantity: 1 + i, unitPrice: 0.99, soldAt: new Date(T0 + DAY + 2 * HOUR).toISOString() },
    ]);
    clock.set(T0 + DAY + 4 * HOUR);
    expect((await api.request('POST', '/v1/sales', { events: sales })).body).toMatchObject({ created: 12, decisionsLinked: 6 });
    const waste = STORES.map((storeId, i) => ({ idempotencyKey: `in-waste-${storeId}`, storeId, skuCode: 'MILK', quantity: (i % 3) + 1, wastedAt: new Date(T0 + DAY + 3 * HOUR).toISOString() }));
    expect((await api.request('POST', '/v1/waste', { events: waste })).body).toMatchObject({ created: 6 });
    // Before the start: in nobody's results.
    expect((await api.request('POST', '/v1/waste', { events: [{ idempotencyKey: 'early', storeId: 'T1', skuCode: 'MILK', quantity: 50, wastedAt: new Date(T0 - HOUR).toISOString() }] })).body.created).toBe(1);

    const response = await api.request('GET', `/v1/experiments/${experiment.id}/results`);
    expect(response.status).toBe(200);
    const results = response.body;

    // Hand tallies per store.
    const tally = STORES.map((storeId, i) => {
      const units = 2 + i + (1 + i);
      const revenue = (2 + i) * 1.79 + (1 + i) * 0.99;
      const costOfGoods = (2 + i) * 1 + (1 + i) * 0.5;
      const wasteCost = ((i % 3) + 1) * (1 - 0.1);
      return { storeId, variant: arm.get(storeId)!, exposures: 4, units, revenue, costOfGoods, wasteCost, margin: revenue - costOfGoods - wasteCost };
    });
    for (const variant of ['control', 'treatment']) {
      const rows = tally.filter((row) => row.variant === variant);
      const sum = (pick: (row: (typeof tally)[number]) => number): number => rows.reduce((total, row) => total + pick(row), 0);
      const reported = results.variants.find((entry: { variant: string }) => entry.variant === variant);
      expect(reported).toMatchObject({ unitCount: 3, exposures: 12, units: sum((row) => row.units) });
      expect(reported.revenue).toBeCloseTo(sum((row) => row.revenue), 6);
      expect(reported.costOfGoods).toBeCloseTo(sum((row) => row.costOfGoods), 6);
      expect(reported.wasteCost).toBeCloseTo(sum((row) => row.wasteCost), 6);
      expect(reported.grossMargin).toBeCloseTo(sum((row) => row.margin), 6);
      expect(reported.marginPerExposure).toBeCloseTo(sum((row) => row.margin) / 12, 9);
    }
    // Lift and its interval: the delta method on the hand tallies gives the same numbers.
    const estimate = (variant: string) => ratioEstimate(tally.filter((row) => row.variant === variant).map((row) => ({ numerator: row.margin, denominator: row.exposures })));
    const expected = compareEstimates(estimate('treatment'), estimate('control'));
    const plain = results.comparisons[0].primary.plain;
    expect(plain.relativeLift.estimate).toBeCloseTo(expected.relative!.estimate, 9);
    expect(plain.relativeLift.confidenceInterval[0]).toBeCloseTo(expected.relative!.confidenceInterval[0], 9);
    expect(plain.absoluteDifference.estimate).toBeCloseTo(expected.absolute.estimate, 9);
    expect(results.srm).toMatchObject({ flagged: false, variants: ['control', 'treatment'] });
    // CUPED on the pre-period (7 days before the start) and the sequential test on its lift.
    expect(results.prePeriod).toEqual({ from: new Date(T0 - 7 * DAY).toISOString(), to: new Date(T0).toISOString() });
    expect(results.comparisons[0].primary.cuped).toMatchObject({ theta: expect.any(Number), varianceReduction: expect.any(Number) });
    expect(results.comparisons[0].primary.sequential).toMatchObject({ basis: 'cuped', state: { looks: 1 } });
    expect(results.comparisons[0].secondary.map((entry: { metric: string }) => entry.metric)).toEqual(['unitsPerExposure', 'revenuePerExposure', 'wastePerExposure']);
    // Daily series: exposures on both days, sales and waste on day 2.
    const daily = (date: string, variant: string) => results.daily.find((point: { date: string; variant: string }) => point.date === date && point.variant === variant);
    expect(daily('2026-06-10', 'treatment')).toMatchObject({ exposures: 6, units: 0 });
    const modelDay2 = tally.filter((row) => row.variant === 'treatment');
    expect(daily('2026-06-11', 'treatment')).toMatchObject({ exposures: 6, units: modelDay2.reduce((sum, row) => sum + row.units, 0) });
    expect(daily('2026-06-11', 'treatment').grossMargin).toBeCloseTo(modelDay2.reduce((sum, row) => sum + row.margin, 0), 2);

    // One look per day: asking again the same day replaces the look; the next day adds one.
    expect((await api.request('GET', `/v1/experiments/${experiment.id}/results`)).body.comparisons[0].primary.sequential.state.looks).toBe(1);
    clock.set(T0 + 2 * DAY + HOUR);
    expect((await api.request('GET', `/v1/experiments/${experiment.id}/results`)).body.comparisons[0].primary.sequential.state.looks).toBe(2);

    // The ROI report measures the experiment the same way: control margin as the baseline, scaled to the business.
    const roi = (await api.request('GET', '/v1/roi?groupBy=experiment')).body;
    const row = roi.rows.find((entry: { period: string }) => entry.period === experiment.id);
    const controlMargin = tally.filter((entry) => entry.variant === 'control').reduce((sum, entry) => sum + entry.margin, 0);
    expect(row).toMatchObject({ grouping: 'experiment', decisions: 24, from: '2026-06', to: '2026-06' });
    expect(row.baseline).toBeCloseTo(controlMargin / 0.5, 2);
    expect(row.gain).toBeCloseTo(expected.relative!.estimate * (controlMargin / 0.5), 2);
    await act(api, experiment.id, 'stop');
  });

  it('stops by itself at its planned end', async () => {
    clock.set(T0 + 10 * DAY);
    const experiment = await create(api, { name: 'Short', variants: aa(0.5), endsAt: new Date(T0 + 11 * DAY).toISOString() });
    await act(api, experiment.id, 'start');
    expect((await priceAll()).get('T1:MILK')?.variant).not.toBe('default');
    clock.set(T0 + 11 * DAY + HOUR);
    // Past its end it no longer assigns, and the scheduled check records the end.
    expect((await priceAll()).get('T1:MILK')?.variant).toBe('default');
    await api.app.get(GuardrailMonitor).runOnce();
    const ended = (await api.request('GET', `/v1/experiments/${experiment.id}`)).body;
    expect(ended).toMatchObject({ status: 'stopped', stoppedAt: new Date(T0 + 11 * DAY).toISOString() });
    expect((await api.request('GET', `/v1/experiments/${experiment.id}/history`)).body.at(-1)).toMatchObject({ action: 'end', actor: 'system' });
  });
});

describe(`assignment across restarts (${TEST_DATABASE})`, () => {
  it('gives every unit the same variant after the API restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-exp-'));
    const schema = `t_restart_${process.pid}`;
    const env = { DATA_DIR: dataDir, ...(process.env['DATABASE_URL'] ? { DATABASE_SCHEMA: schema } : {}) };
    const customers = Array.from({ length: 60 }, (_, i) => `shopper-${i}`);
    const variants = async (api: TestApp): Promise<string[]> => {
      const out: string[] = [];
      for (const customerId of customers) {
        const response = await api.request('POST', '/v1/prices', { storeId: 'R1', items: [{ skuCode: 'EGGS' }], customerId });
        out.push(response.body.items[0].variant);
      }
      return out;
    };
    try {
      const first = await startTestApp(env);
      let experiment: Body;
      let before: string[];
      try {
        expect((await first.request('POST', '/v1/stores', { id: 'R1', name: 'R1', region: 'R', cluster: 'c', timezone: 'UTC' })).status).toBe(201);
        expect((await first.request('POST', '/v1/skus', { code: 'EGGS', name: 'Eggs', category: 'dairy', unitCost: 1, listPrice: 2.5, shelfLifeDays: 20 })).status).toBe(201);
        experiment = await create(first, { name: 'Online shoppers', unit: 'customer', variants: aa(0.4) });
        await act(first, experiment.id, 'start');
        before = await variants(first);
      } finally {
        await first.app.close();
      }
      const second = await startTestApp(env);
      try {
        expect(await variants(second)).toEqual(before);
        const hmac = (id: string): string => createHmac('sha256', HMAC_KEY).update(id).digest('hex');
        expect(before).toEqual(customers.map((id) => assignVariant(definitionOf(experiment as never), hmac(id))));
        expect(new Set(before)).toEqual(new Set(['control', 'treatment']));
      } finally {
        await second.app.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      const url = process.env['DATABASE_URL'];
      if (url) {
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    }
  });
});
