import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ModelRegistry } from '../src/models/model-registry.service';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { PricingService } from '../src/pricing/pricing.service';
import { SMALL_DEMO, startTestApp, expectProblem, TEST_DATABASE, type TestApp } from './support/test-app';

const DAY = 86_400_000;

interface Line {
  skuCode: string;
  price: number;
  listPrice: number;
  decisionId: string;
  reason: string;
  boundBy: string | null;
  modelVersion: string | null;
  reused: boolean;
  validUntil: string;
}

describe(`pricing (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let skuCodes: string[];

  beforeAll(async () => {
    api = await startTestApp(SMALL_DEMO);
    skuCodes = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
  });
  afterAll(() => api.close());

  async function price(storeId: string, codes: string[], extra: Record<string, unknown> = {}): Promise<Line[]> {
    const response = await api.request('POST', '/v1/prices', { storeId, items: codes.map((skuCode) => ({ skuCode })), ...extra });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  it('prices a 20-SKU basket with 20 decisions, each retrievable by id', async () => {
    const codes = skuCodes.slice(0, 20);
    const lines = await price('S01', codes);
    expect(lines.map((line) => line.skuCode)).toEqual(codes);
    expect(new Set(lines.map((line) => line.decisionId)).size).toBe(20);
    for (const line of lines) {
      expect(line.price).toBeGreaterThan(0);
      expect(line.modelVersion).toMatch(/^m-[0-9a-f]{12}$/);
      const decision = await api.request('GET', `/v1/decisions/${line.decisionId}`);
      expect(decision.status).toBe(200);
      expect(decision.body).toMatchObject({ id: line.decisionId, skuCode: line.skuCode, price: line.price, storeId: 'S01', reason: line.reason });
      expect(decision.body.features).toHaveLength(10);
    }
  });

  it('reuses a decision while nothing that priced it changed, and records every request', async () => {
    const [first] = await price('S02', [skuCodes[3] as string]);
    const [second] = await price('S02', [skuCodes[3] as string], { customerId: 'C-123', segment: 'gold' });
    expect(second).toMatchObject({ decisionId: first?.decisionId, price: first?.price, reused: true });
  });

  it('makes one decision per SKU when concurrent requests need it, each request waiting for the ones others are making', async () => {
    const codes = skuCodes.slice(18, 28);
    expect(codes).toHaveLength(10);
    // Overlapping baskets, some in reverse order: most requests make some decisions and wait for others'.
    const baskets = Array.from({ length: 12 }, (_, index) => {
      const window = codes.slice(index % 5, (index % 5) + 6);
      return index % 2 === 0 ? window : [...window].reverse();
    });
    const answers = await Promise.all(baskets.map((basket) => price('S02', basket)));
    answers.forEach((lines, index) => expect(lines.map((line) => line.skuCode)).toEqual(baskets[index]));
    const decisionsBySku = new Map<string, Set<string>>();
    for (const line of answers.flat()) decisionsBySku.set(line.skuCode, (decisionsBySku.get(line.skuCode) ?? new Set()).add(line.decisionId));
    expect([...decisionsBySku.keys()].sort()).toEqual([...codes].sort());
    for (const decisions of decisionsBySku.values()) expect(decisions.size).toBe(1);
    // One line per SKU was decided; every other line served that decision.
    expect(answers.flat().filter((line) => !line.reused)).toHaveLength(codes.length);

    await api.app.get(DecisionJournal).flush();
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const rows: Array<{ sku_code: string; decisions: number }> = await dataSource.query(
      `SELECT sku_code, COUNT(*)::int AS decisions FROM price_decisions WHERE store_id = 'S02' AND request_id <> 'seed' AND sku_code = ANY($1) GROUP BY sku_code`,
      [codes],
    );
    expect(rows.map((row) => row.decisions)).toEqual(codes.map(() => 1));
  });

  it('lets the requests waiting for a decision decide for themselves when the request making it fails', async () => {
    const journal = api.app.get(DecisionJournal);
    const codes = skuCodes.slice(24, 30);
    expect(codes).toHaveLength(6);
    // The first journal write (the request making the decisions) fails as on a full disk.
    const append = jest.spyOn(journal, 'append').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
    try {
      const responses = await Promise.all(Array.from({ length: 4 }, () => api.request('POST', '/v1/prices', { storeId: 'S01', items: codes.map((skuCode) => ({ skuCode })) })));
      const answered = responses.filter((response) => response.status === 200);
      expect(responses.map((response) => response.status).filter((status) => status !== 200)).toEqual([500]);
      expect(answered).toHaveLength(3);
      for (const response of answered) {
        expect(response.body.items.map((line: Line) => line.skuCode)).toEqual(codes);
        for (const line of response.body.items as Line[]) expect((await api.request('GET', `/v1/decisions/${line.decisionId}`)).status).toBe(200);
      }
    } finally {
      append.mockRestore();
    }
  });

  it('makes one decision per SKU when concurrent requests are the first to see a model version (its price ladder read while they wait)', async () => {
    const service = api.app.get(PricingService);
    const registry = api.app.get(ModelRegistry);
    const codes = [...skuCodes.slice(0, 3), skuCodes[28] as string, skuCodes[29] as string];
    // As after a new champion: no request has read this model version's card yet. Each request's read
    // answers later than the one before, so the first request decides every SKU while the others wait.
    (service as unknown as { configs: Map<string, unknown> }).configs.clear();
    const get = registry.get.bind(registry);
    let reads = 0;
    const slowGet = jest.spyOn(registry, 'get').mockImplementation(async (id: string) => {
      await new Promise((resolve) => setTimeout(resolve, 40 * ++reads));
      return get(id);
    });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => price('S02', codes)));
      expect(reads).toBeGreaterThan(1);
      for (const lines of answers) expect(lines.map((line) => line.skuCode)).toEqual(codes);
      codes.forEach((_, index) => expect(new Set(answers.map((lines) => lines[index]?.decisionId)).size).toBe(1));
      expect(answers.flat().filter((line) => !line.reused)).toHaveLength(codes.length);
    } finally {
      slowGet.mockRestore();
    }
  });

  it('answers a basket that names a SKU twice with a line per basket line, in basket order, one decision per SKU', async () => {
    const [a, b] = [skuCodes[20] as string, skuCodes[21] as string];
    for (const attempt of ['new', 'reused']) {
      const lines = await price('S01', [a, b, a]);
      expect(lines.map((line) => line.skuCode)).toEqual([a, b, a]);
      expect(lines[2]).toEqual(lines[0]);
      expect(lines[0]?.decisionId).not.toBe(lines[1]?.decisionId);
      expect(lines.map((line) => line.reused)).toEqual(attempt === 'new' ? [false, false, false] : [true, true, true]);
    }
  });

  it('never lets the customer or segment change the price', async () => {
    const codes = skuCodes.slice(5, 15);
    const anonymous = await price('S02', codes);
    const gold = await price('S02', codes, { customerId: 'C-1', segment: 'gold', channel: 'online' });
    const bronze = await price('S02', codes, { customerId: 'C-2', segment: 'bronze', sessionId: 'sess-9' });
    expect(gold.map((line) => line.price)).toEqual(anonymous.map((line) => line.price));
    expect(bronze.map((line) => line.price)).toEqual(anonymous.map((line) => line.price));
  });

  it('lets an override win and says so', async () => {
    const skuCode = skuCodes[7] as string;
    const sku = (await api.request('GET', `/v1/skus/${skuCode}`)).body;
    const overridePrice = Math.round((sku.priceFloor + (sku.listPrice - sku.priceFloor) / 2) * 100) / 100;
    const created = await api.request('POST', '/v1/overrides', {
      skuCode,
      storeId: 'S01',
      price: overridePrice,
      endsAt: new Date(Date.now() + 2 * DAY).toISOString(),
      reason: 'Matching the competitor flyer',
    });
    expect(created.status).toBe(201);
    const [line] = await price('S01', [skuCode]);
    expect(line).toMatchObject({ price: overridePrice, reason: 'override', boundBy: 'override', reused: false });
    const [otherStore] = await price('S02', [skuCode]);
    expect(otherStore?.reason).not.toBe('override');
  });

  it('honours a guardrail change on the very next request', async () => {
    const skuCode = skuCodes[11] as string;
    const sku = (await api.request('GET', `/v1/skus/${skuCode}`)).body;
    const [before] = await price('S01', [skuCode]);
    // A margin no price below the ceiling meets: the price must go to the ceiling.
    const created = await api.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: skuCode, minMarginPct: 60 });
    expect(created.status).toBe(201);
    const [after] = await price('S01', [skuCode]);
    expect(after?.decisionId).not.toBe(before?.decisionId);
    expect(after?.price).toBe(sku.priceCeiling);
    expect(['guardrail', 'model']).toContain(after?.reason);
  });

  it('keeps reusing a decision over repeated requests, and sees each kind of change on the next request', async () => {
    const skuCode = skuCodes[17] as string;
    // First request decides; the second reuses after a full check; the third on on the state that check saw.
    const decidedThrice = async (): Promise<Line> => {
      const [first] = await price('S02', [skuCode]);
      const [second] = await price('S02', [skuCode]);
      const [third] = await price('S02', [skuCode], { customerId: 'C-7' });
      expect([second?.decisionId, third?.decisionId]).toEqual([first?.decisionId, first?.decisionId]);
      expect([second?.reused, third?.reused]).toEqual([true, true]);
      return first as Line;
    };
    const sku = (await api.request('GET', `/v1/skus/${skuCode}`)).body;
    const initial = await decidedThrice();

    const guardrail = await api.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: skuCode, maxChangePct: 37 });
    expect(guardrail.status).toBe(201);
    const afterGuardrail = await decidedThrice();
    expect(afterGuardrail.decisionId).not.toBe(initial.decisionId);

    const delivery = await api.request('POST', '/v1/inventory/bulk', {
      items: [{ storeId: 'S02', skuCode, lotRef: 'REUSE-TEST', quantity: 400, receivedAt: new Date(Date.now() - DAY).toISOString(), expiresAt: new Date(Date.now() + 3.5 * DAY).toISOString() }],
    });
    expect(delivery.status).toBe(200);
    const afterDelivery = await decidedThrice();
    expect(afterDelivery.decisionId).not.toBe(afterGuardrail.decisionId);

    const listPrice = Math.round(sku.listPrice * 1.1 * 100) / 100;
    expect((await api.request('PATCH', `/v1/skus/${skuCode}`, { listPrice, priceCeiling: null })).status).toBe(200);
    const afterListPrice = await decidedThrice();
    expect(afterListPrice).toMatchObject({ listPrice });
    expect(afterListPrice.decisionId).not.toBe(afterDelivery.decisionId);

    const overridePrice = Math.round(sku.unitCost * 1.5 * 100) / 100;
    const created = await api.request('POST', '/v1/overrides', { skuCode, storeId: 'S02', price: overridePrice, endsAt: new Date(Date.now() + DAY).toISOString(), reason: 'Reuse test' });
    expect(created.status).toBe(201);
    expect(await decidedThrice()).toMatchObject({ price: overridePrice, reason: 'override', reused: false });
  });

  it('keeps the price of a frozen SKU', async () => {
    const skuCode = skuCodes[13] as string;
    const [before] = await price('S02', [skuCode]);
    await api.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: skuCode, frozen: true });
    // Stock changes that would move the price: a big delivery expiring tomorrow.
    await api.request('POST', '/v1/inventory/bulk', {
      items: [{ storeId: 'S02', skuCode, lotRef: 'FREEZE-TEST', quantity: 500, receivedAt: new Date(Date.now() - DAY).toISOString(), expiresAt: new Date(Date.now() + 0.6 * DAY).toISOString() }],
    });
    const [after] = await price('S02', [skuCode]);
    expect(after).toMatchObject({ price: before?.price, reason: 'guardrail', boundBy: 'freeze' });
  });

  it('prices stock one day from expiry below the same SKU fresh', async () => {
    const store = 'S01';
    const candidates = (await api.request('GET', '/v1/skus?category=dairy')).body.items as Array<{ code: string; shelfLifeDays: number }>;
    const sku = candidates[0] as { code: string; shelfLifeDays: number };
    const existing = (await api.request('GET', `/v1/inventory?storeId=${store}&skuCode=${sku.code}`)).body.items as Array<Record<string, unknown>>;
    const clear = existing.map((lot) => ({ storeId: store, skuCode: sku.code, lotRef: lot['lotRef'], quantity: 0, receivedAt: lot['receivedAt'], expiresAt: lot['expiresAt'] }));
    const lot = (lotRef: string, expiresInDays: number): Record<string, unknown> => ({
      storeId: store,
      skuCode: sku.code,
      lotRef,
      quantity: 30,
      receivedAt: new Date(Date.now() - DAY).toISOString(),
      expiresAt: new Date(Date.now() + expiresInDays * DAY).toISOString(),
    });
    await api.request('POST', '/v1/inventory/bulk', { items: [...clear, lot('FRESH', sku.shelfLifeDays)] });
    const [fresh] = await price(store, [sku.code]);
    await api.request('POST', '/v1/inventory/bulk', { items: [{ ...lot('FRESH', sku.shelfLifeDays), quantity: 0 }, lot('OLD', 0.5)] });
    const [old] = await price(store, [sku.code]);
    expect(old?.price).toBeLessThan(fresh?.price as number);
  });

  it('reprices a whole store page by page', async () => {
    const first = await api.request('POST', '/v1/stores/S02/reprice?limit=12');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(12);
    expect(first.body.totalSkus).toBe(skuCodes.length);
    const codes: string[] = first.body.items.map((line: Line) => line.skuCode);
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await api.request('POST', `/v1/stores/S02/reprice?limit=12&after=${cursor}`);
      codes.push(...page.body.items.map((line: Line) => line.skuCode));
      cursor = page.body.nextCursor;
    }
    expect(codes).toEqual(skuCodes);
    expectProblem(await api.request('POST', '/v1/stores/NOPE/reprice'), 404);
  });

  it('lists decisions by store and SKU once they reached the database', async () => {
    const skuCode = skuCodes[2] as string;
    const [line] = await price('S01', [skuCode]);
    await api.app.get(DecisionJournal).flush();
    const page = await api.request('GET', `/v1/decisions?storeId=S01&skuCode=${skuCode}&limit=5`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((decision: { id: string }) => decision.id)).toContain(line?.decisionId);
    expectProblem(await api.request('GET', '/v1/decisions?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z'), 400);
  });

  describe('bad input', () => {
    it.each([
      ['an empty basket', { storeId: 'S01', items: [] }, 'items'],
      ['501 lines', { storeId: 'S01', items: Array.from({ length: 501 }, () => ({ skuCode: 'X' })) }, 'items'],
      ['an unknown store', { storeId: 'S404', items: [{ skuCode: 'PRD-001' }] }, 'storeId'],
      ['a negative quantity', { storeId: 'S01', items: [{ skuCode: 'PRD-001', quantity: -2 }] }, 'items[0].quantity'],
      ['a string for a number', { storeId: 'S01', items: [{ skuCode: 'PRD-001', quantity: '2' }] }, 'items[0].quantity'],
      ['a number for a string', { storeId: 42, items: [{ skuCode: 'PRD-001' }] }, 'storeId'],
      ['an unknown field', { storeId: 'S01', items: [{ skuCode: 'PRD-001' }], discount: 10 }, 'discount'],
      ['a line that is not an object', { storeId: 'S01', items: [[]] }, 'items'],
      ['an unknown channel', { storeId: 'S01', items: [{ skuCode: 'PRD-001' }], channel: 'web' }, 'channel'],
    ])('refuses %s with a 400 naming the field', async (_name, body, field) => {
      const problem = expectProblem(await api.request('POST', '/v1/prices', body), 400);
      expect(problem.field).toBe(field);
    });

    it('fails the whole basket when one SKU is unknown, naming the line', async () => {
      const problem = expectProblem(await api.request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: skuCodes[0] }, { skuCode: 'NOPE-1' }] }), 400);
      expect(problem.field).toBe('items[1].skuCode');
    });

    it('answers an unknown decision with 404 and a malformed id with 400', async () => {
      expectProblem(await api.request('GET', '/v1/decisions/01a21701-a05d-73a8-bbb0-5e6c8b53a1fe'), 404);
      expect(expectProblem(await api.request('GET', '/v1/decisions/nope'), 400).field).toBe('id');
    });
  });

  it('writes every decision to the database exactly once', async () => {
    await api.app.get(DecisionJournal).flush();
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const [row] = await dataSource.query(`SELECT COUNT(*)::int AS total, COUNT(DISTINCT id)::int AS ids FROM price_decisions WHERE request_id <> 'seed'`);
    expect(row.total).toBe(row.ids);
    expect(row.total).toBeGreaterThan(20);
  });
});
