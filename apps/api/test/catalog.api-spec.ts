import { startTestApp, expectProblem, TEST_DATABASE, type TestApp } from './support/test-app';

const DAY = 86_400_000;

function sku(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { code, name: `Product ${code}`, category: 'dairy', unitCost: 1.1, listPrice: 2.49, shelfLifeDays: 10, priceFloor: 1.29, priceCeiling: 2.99, salvageValue: 0.05, ...overrides };
}

describe(`catalog (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
    for (const id of ['S1', 'S2']) {
      expect((await api.request('POST', '/v1/stores', { id, name: `Store ${id}`, region: 'North', cluster: 'urban', timezone: 'Europe/London', attributes: { incomeBand: 'middle' } })).status).toBe(201);
    }
  });
  afterAll(() => api.close());

  describe('stores', () => {
    it('creates, reads, filters, updates and deletes a store', async () => {
      const created = await api.request('POST', '/v1/stores', { id: 'TMP', name: 'Temp', region: 'South', cluster: 'rural', timezone: 'America/Chicago' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'TMP', attributes: {} });
      expect((await api.request('GET', '/v1/stores?region=South')).body.items.map((store: { id: string }) => store.id)).toEqual(['TMP']);
      const updated = await api.request('PATCH', '/v1/stores/TMP', { name: 'Renamed' });
      expect(updated.body).toMatchObject({ id: 'TMP', name: 'Renamed', region: 'South' });
      expect((await api.request('DELETE', '/v1/stores/TMP')).status).toBe(204);
      expectProblem(await api.request('GET', '/v1/stores/TMP'), 404);
    });

    it('refuses a duplicate id with 409', async () => {
      expectProblem(await api.request('POST', '/v1/stores', { id: 'S1', name: 'x', region: 'x', cluster: 'x', timezone: 'UTC' }), 409);
    });

    it('names the offending field of a bad store', async () => {
      const problem = expectProblem(await api.request('POST', '/v1/stores', { id: 'S9', name: 'x', region: 'x', cluster: 'x', timezone: 'Mars/Olympus' }), 400);
      expect(problem.field).toBe('timezone');
    });
  });

  describe('skus', () => {
    beforeAll(async () => {
      for (const code of ['MILK-1', 'MILK-2', 'BREAD-1']) {
        const category = code.startsWith('BREAD') ? 'bakery' : 'dairy';
        expect((await api.request('POST', '/v1/skus', sku(code, { category, name: code === 'MILK-2' ? 'Oat Milk 1L' : `Item ${code}` }))).status).toBe(201);
      }
    });

    it('lists by category and searches code or name, with pagination', async () => {
      const dairy = await api.request('GET', '/v1/skus?category=dairy&limit=1&offset=1');
      expect(dairy.body).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ code: 'MILK-2' }] });
      expect((await api.request('GET', '/v1/skus?search=oat')).body.items.map((row: { code: string }) => row.code)).toEqual(['MILK-2']);
    });

    it('returns numbers, not strings, for money', async () => {
      const body = (await api.request('GET', '/v1/skus/MILK-1')).body;
      expect(body).toMatchObject({ unitCost: 1.1, listPrice: 2.49, priceFloor: 1.29, priceCeiling: 2.99, salvageValue: 0.05 });
    });

    it('refuses strings for numbers, unknown fields, and bad pagination', async () => {
      expect(expectProblem(await api.request('POST', '/v1/skus', sku('X-1', { listPrice: '2.49' })), 400).field).toBe('listPrice');
      expect(expectProblem(await api.request('POST', '/v1/skus', sku('X-1', { colour: 'red' })), 400).field).toBe('colour');
      expect(expectProblem(await api.request('GET', '/v1/skus?limit=0'), 400).field).toBe('limit');
      expect(expectProblem(await api.request('GET', '/v1/skus?limit=abc'), 400).field).toBe('limit');
    });

    it('refuses a floor above the ceiling, also through an update', async () => {
      expect(expectProblem(await api.request('POST', '/v1/skus', sku('X-2', { priceFloor: 3, priceCeiling: 2.5 })), 400).field).toBe('priceFloor');
      expect(expectProblem(await api.request('PATCH', '/v1/skus/MILK-1', { priceCeiling: 1 }), 400).errors?.map((error) => error.field)).toContain('priceCeiling');
      expect((await api.request('GET', '/v1/skus/MILK-1')).body.priceCeiling).toBe(2.99);
    });

    it('answers an unknown SKU with 404', async () => {
      expectProblem(await api.request('GET', '/v1/skus/NOPE'), 404);
      expectProblem(await api.request('PATCH', '/v1/skus/NOPE', { name: 'x' }), 404);
    });
  });

  describe('bulk upsert', () => {
    const feed = (count: number, prefix: string): Array<Record<string, unknown>> =>
      Array.from({ length: count }, (_, index) => sku(`${prefix}-${String(index).padStart(5, '0')}`, { listPrice: (199 + (index % 50)) / 100 }));

    it('inserts then updates thousands of SKUs in one call', async () => {
      const first = await api.request('POST', '/v1/skus/bulk', { items: feed(12_000, 'FEED') });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: 12_000, inserted: 12_000, updated: 0 });
      const again = feed(12_000, 'FEED').map((row) => ({ ...row, name: 'Renamed' }));
      const second = await api.request('POST', '/v1/skus/bulk', { items: [...again, sku('FEED-NEW')] });
      expect(second.body).toEqual({ received: 12_001, inserted: 1, updated: 12_000 });
      expect((await api.request('GET', '/v1/skus/FEED-00042')).body.name).toBe('Renamed');
    });

    it('rejects the whole batch when one row of thousands has the wrong type, naming it', async () => {
      const items = feed(5_000, 'BAD');
      items[3_456] = { ...items[3_456], listPrice: 'cheap' };
      const problem = expectProblem(await api.request('POST', '/v1/skus/bulk', { items }), 400);
      expect(problem.field).toBe('items[3456].listPrice');
      expect((await api.request('GET', '/v1/skus?search=BAD-')).body.total).toBe(0);
    });

    it('rejects the whole batch on a rule broken by one row, or a duplicate code', async () => {
      const items = feed(3_000, 'RULE');
      items[2_999] = { ...items[2_999], priceFloor: 5, priceCeiling: 4 };
      expect(expectProblem(await api.request('POST', '/v1/skus/bulk', { items }), 400).field).toBe('items[2999].priceFloor');
      const duplicated = [...feed(10, 'DUP'), sku('DUP-00003')];
      expect(expectProblem(await api.request('POST', '/v1/skus/bulk', { items: duplicated }), 400).field).toBe('items[10].code');
      expect((await api.request('GET', '/v1/skus?search=RULE-')).body.total).toBe(0);
      expect((await api.request('GET', '/v1/skus?search=DUP-')).body.total).toBe(0);
    });

    it('refuses an empty batch', async () => {
      expect(expectProblem(await api.request('POST', '/v1/skus/bulk', { items: [] }), 400).field).toBe('items');
    });
  });

  describe('inventory', () => {
    const now = Date.now();
    const lot = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      storeId: 'S1',
      skuCode: 'MILK-1',
      lotRef: 'L-1',
      quantity: 24,
      receivedAt: new Date(now - DAY).toISOString(),
      expiresAt: new Date(now + 1.5 * DAY).toISOString(),
      ...overrides,
    });

    it('creates a lot and reports its days to expiry', async () => {
      const created = await api.request('POST', '/v1/inventory', lot());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ storeId: 'S1', skuCode: 'MILK-1', quantity: 24, daysToExpiry: 2 });
      expect((await api.request('GET', `/v1/inventory/${created.body.id}`)).body.lotRef).toBe('L-1');
    });

    it('bulk-upserts lots and filters those expiring within N days', async () => {
      const items = [
        lot({ lotRef: 'B-1', expiresAt: new Date(now + 0.5 * DAY).toISOString() }),
        lot({ lotRef: 'B-2', storeId: 'S2', expiresAt: new Date(now + 5 * DAY).toISOString() }),
        lot({ lotRef: 'B-3', skuCode: 'BREAD-1', expiresAt: new Date(now + 2.5 * DAY).toISOString() }),
      ];
      expect((await api.request('POST', '/v1/inventory/bulk', { items })).body).toEqual({ received: 3, inserted: 3, updated: 0 });
      expect((await api.request('POST', '/v1/inventory/bulk', { items: [{ ...items[0], quantity: 5 }] })).body).toEqual({ received: 1, inserted: 0, updated: 1 });

      const soon = await api.request('GET', '/v1/inventory?expiringWithinDays=3&storeId=S1');
      expect(soon.body.items.map((row: { lotRef: string }) => row.lotRef)).toEqual(['B-1', 'L-1', 'B-3']);
      const bakery = await api.request('GET', '/v1/inventory?category=bakery');
      expect(bakery.body.items.map((row: { lotRef: string }) => row.lotRef)).toEqual(['B-3']);
    });

    it('rejects a feed that names an unknown store or SKU, and writes none of it', async () => {
      const items = [lot({ lotRef: 'U-1' }), lot({ lotRef: 'U-2', storeId: 'S404' }), lot({ lotRef: 'U-3', skuCode: 'NOPE' })];
      const problem = expectProblem(await api.request('POST', '/v1/inventory/bulk', { items }), 400);
      expect(problem.errors?.map((error) => error.field)).toEqual(['items[1].storeId', 'items[2].skuCode']);
      expect((await api.request('GET', '/v1/inventory?skuCode=MILK-1&storeId=S1')).body.items.map((row: { lotRef: string }) => row.lotRef)).not.toContain('U-1');
    });

    it('refuses negative quantities and a lot expiring before it arrives', async () => {
      expect(expectProblem(await api.request('POST', '/v1/inventory', lot({ lotRef: 'N-1', quantity: -3 })), 400).field).toBe('quantity');
      expect(expectProblem(await api.request('POST', '/v1/inventory', lot({ lotRef: 'N-2', expiresAt: new Date(now - 2 * DAY).toISOString() })), 400).field).toBe('expiresAt');
      expect(expectProblem(await api.request('POST', '/v1/inventory', lot({ lotRef: 'N-3', receivedAt: 'yesterday' })), 400).field).toBe('receivedAt');
    });

    it('answers a malformed id with 400 and an unknown one with 404', async () => {
      expect(expectProblem(await api.request('GET', '/v1/inventory/not-a-uuid'), 400).field).toBe('id');
      expectProblem(await api.request('GET', '/v1/inventory/6f1c2f44-62a4-4f57-9a55-0c7a9f3b9d11'), 404);
    });

    it('refuses to delete a store that still has lots', async () => {
      expect((await api.request('POST', '/v1/inventory', lot({ storeId: 'S2', lotRef: 'KEEP-1' }))).status).toBe(201);
      expectProblem(await api.request('DELETE', '/v1/stores/S2'), 409);
      expect((await api.request('GET', '/v1/stores/S2')).status).toBe(200);
    });
  });

  describe('guardrails', () => {
    it('creates one level per scope and refuses a second', async () => {
      const global = await api.request('POST', '/v1/guardrails', { scope: 'global', minMarginPct: 10, maxChangePct: 25, priceEndings: ['.49', '.99'] });
      expect(global.status).toBe(201);
      expect(global.body).toMatchObject({ scope: 'global', scopeKey: '', minMarginPct: 10, priceEndings: ['.49', '.99'], frozen: null });
      expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'global', minMarginPct: 5 }), 409);
      const category = await api.request('POST', '/v1/guardrails', { scope: 'category', scopeKey: 'dairy', minMarginPct: 20 });
      expect(category.status).toBe(201);
      const frozen = await api.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: 'MILK-1', frozen: true });
      expect(frozen.body.frozen).toBe(true);
      expect((await api.request('GET', '/v1/guardrails?scope=category')).body.map((row: { scopeKey: string }) => row.scopeKey)).toEqual(['dairy']);
    });

    it('updates a level and clears a field with null', async () => {
      const [category] = (await api.request('GET', '/v1/guardrails?scope=category')).body;
      const updated = await api.request('PATCH', `/v1/guardrails/${category.id}`, { minMarginPct: null, maxChangePct: 15 });
      expect(updated.body).toMatchObject({ minMarginPct: null, maxChangePct: 15 });
    });

    it('refuses bad guardrails, naming the field', async () => {
      expect(expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'category', scopeKey: 'bakery', minMarginPct: 120 }), 400).field).toBe('minMarginPct');
      expect(expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'category', scopeKey: 'bakery', priceEndings: ['99'] }), 400).field).toBe('priceEndings');
      expect(expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'category', scopeKey: 'bakery', priceFloor: 5, priceCeiling: 4 }), 400).field).toBe('priceFloor');
      expect(expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: 'NOPE', frozen: true }), 400).field).toBe('scopeKey');
      expect(expectProblem(await api.request('POST', '/v1/guardrails', { scope: 'galaxy' }), 400).field).toBe('scope');
    });
  });

  describe('overrides', () => {
    const inAWeek = new Date(Date.now() + 7 * DAY).toISOString();

    it('creates a store override, lists it as active, and cancels it', async () => {
      const created = await api.request('POST', '/v1/overrides', { skuCode: 'MILK-2', storeId: 'S1', price: 1.99, endsAt: inAWeek, reason: 'Competitor promotion' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ skuCode: 'MILK-2', storeId: 'S1', price: 1.99, active: true, forced: false, cancelledAt: null });
      const active = await api.request('GET', '/v1/overrides?skuCode=MILK-2&active=true');
      expect(active.body.items.map((row: { id: string }) => row.id)).toEqual([created.body.id]);
      expect((await api.request('DELETE', `/v1/overrides/${created.body.id}`)).status).toBe(204);
      const cancelled = await api.request('GET', `/v1/overrides/${created.body.id}`);
      expect(cancelled.body).toMatchObject({ active: false, cancelledAt: expect.any(String) });
      expectProblem(await api.request('PATCH', `/v1/overrides/${created.body.id}`, { price: 2.19 }), 409);
    });

    it('refuses a price outside the floor / ceiling unless forced', async () => {
      const outside = { skuCode: 'MILK-2', price: 0.5, endsAt: inAWeek, reason: 'Clearance' };
      expect(expectProblem(await api.request('POST', '/v1/overrides', outside), 400).field).toBe('price');
      expect((await api.request('POST', '/v1/overrides', { ...outside, forced: true })).status).toBe(201);
    });

    it('refuses an override for an unknown SKU or store, or an empty window', async () => {
      expect(expectProblem(await api.request('POST', '/v1/overrides', { skuCode: 'NOPE', price: 2, endsAt: inAWeek, reason: 'x x x' }), 400).field).toBe('skuCode');
      expect(expectProblem(await api.request('POST', '/v1/overrides', { skuCode: 'MILK-2', storeId: 'S404', price: 2, endsAt: inAWeek, reason: 'x x x' }), 400).field).toBe('storeId');
      const past = new Date(Date.now() - DAY).toISOString();
      expect(expectProblem(await api.request('POST', '/v1/overrides', { skuCode: 'MILK-2', price: 2, endsAt: past, reason: 'x x x' }), 400).field).toBe('endsAt');
    });
  });
});
