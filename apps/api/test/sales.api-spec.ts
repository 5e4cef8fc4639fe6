import { getDataSourceToken } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { PartitionManager } from '../src/database/partitions';
import { SalesIngestionService } from '../src/sales/sales-ingestion.service';
import { expectProblem, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-05-04T12:00:00Z');
const HMAC_KEY = 'test-only-customer-hmac-key-0123456789';

function sale(key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { idempotencyKey: key, storeId: 'S1', skuCode: 'MILK', quantity: 2, unitPrice: 2.49, soldAt: new Date(NOW - 2 * HOUR).toISOString(), ...overrides };
}

function waste(key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { idempotencyKey: key, storeId: 'S2', skuCode: 'BREAD', quantity: 3, wastedAt: new Date(NOW - HOUR).toISOString(), ...overrides };
}

describe(`sales and waste ingestion (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp();
    api.app.get(Clock).set(NOW);
    db = api.app.get<DataSource>(getDataSourceToken());
    for (const id of ['S1', 'S2']) expect((await api.request('POST', '/v1/stores', { id, name: `Store ${id}`, region: 'North', cluster: 'urban', timezone: 'UTC' })).status).toBe(201);
    for (const [code, category, unitCost] of [
      ['MILK', 'dairy', 1.1],
      ['BREAD', 'bakery', 0.8],
    ] as const) {
      const created = await api.request('POST', '/v1/skus', { code, name: code, category, unitCost, listPrice: 2.49, shelfLifeDays: 5, salvageValue: 0.1 });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => api.close());

  async function count(table: 'sales' | 'waste_events', keyPrefix: string): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE idempotency_key LIKE $1`, [`${keyPrefix}%`]);
    return row.n;
  }

  it('stores a batch once: a retry of the same batch creates nothing', async () => {
    const events = Array.from({ length: 50 }, (_, i) => sale(`retry-${i}`, { quantity: 1 + (i % 3) }));
    const first = await api.request('POST', '/v1/sales', { events });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 50, created: 50, duplicates: 0 });
    const again = await api.request('POST', '/v1/sales', { events });
    expect(again.body).toMatchObject({ received: 50, created: 0, duplicates: 50 });
    expect(await count('sales', 'retry-')).toBe(50);
  });

  it('stores a batch once when the same batch is retried concurrently', async () => {
    const events = Array.from({ length: 300 }, (_, i) => sale(`concurrent-${i}`, { storeId: i % 2 ? 'S1' : 'S2', soldAt: new Date(NOW - (i + 1) * 60_000).toISOString() }));
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.request('POST', '/v1/sales', { events })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Exactly one of the racing copies stored each event; the others saw it as a duplicate.
    expect(answers.reduce((sum, answer) => sum + answer.body.created, 0)).toBe(300);
    expect(answers.every((answer) => answer.body.created + answer.body.duplicates === 300)).toBe(true);
    expect(await count('sales', 'concurrent-')).toBe(300);
  });

  it('stores concurrent overlapping batches once each event', async () => {
    const events = Array.from({ length: 200 }, (_, i) => waste(`overlap-${i}`, { wastedAt: new Date(NOW - (i + 1) * 60_000).toISOString() }));
    // Three batches that share half their events with the next, sent at once.
    const batches = [events.slice(0, 100), events.slice(50, 150), events.slice(100, 200)];
    const answers = await Promise.all(batches.map((batch) => api.request('POST', '/v1/waste', { events: [...batch].reverse() })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((sum, answer) => sum + answer.body.created, 0)).toBe(200);
    expect(await count('waste_events', 'overlap-')).toBe(200);
  });

  it('refuses a batch with one invalid event, naming its index, and stores none of it', async () => {
    const events = Array.from({ length: 60 }, (_, i) => sale(`invalid-${i}`));
    events[37] = { ...events[37], quantity: '2' };
    const problem = expectProblem(await api.request('POST', '/v1/sales', { events }), 400);
    expect(problem.field).toBe('events[37].quantity');
    events[37] = { ...events[37], quantity: -1 };
    expect(expectProblem(await api.request('POST', '/v1/sales', { events }), 400).field).toBe('events[37].quantity');
    expect(await count('sales', 'invalid-')).toBe(0);
  });

  it('names unknown stores and SKUs, unknown fields and a missing time by index', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ storeId: 'NOPE' }, 'events[1].storeId'],
      [{ skuCode: 'NOPE' }, 'events[1].skuCode'],
      [{ colour: 'red' }, 'events[1].colour'],
      [{ soldAt: undefined }, 'events[1].soldAt'],
      [{ unitPrice: 1.234 }, 'events[1].unitPrice'],
    ];
    for (const [change, field] of cases) {
      const problem = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('names-0'), sale('names-1', change)] }), 400);
      expect(problem.field).toBe(field);
    }
    expect(expectProblem(await api.request('POST', '/v1/waste', { events: [waste('names-w0'), waste('names-w1', { skuCode: 'NOPE' })] }), 400).field).toBe('events[1].skuCode');
    expect(await count('sales', 'names-')).toBe(0);
    expect(await count('waste_events', 'names-')).toBe(0);
  });

  it('refuses events from the future beyond five minutes of clock skew', async () => {
    const skewed = await api.request('POST', '/v1/sales', { events: [sale('future-0', { soldAt: new Date(NOW + 4 * 60_000).toISOString() })] });
    expect(skewed.body).toMatchObject({ created: 1 });
    const problem = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('future-1'), sale('future-2', { soldAt: new Date(NOW + 6 * 60_000).toISOString() })] }), 400);
    expect(problem.field).toBe('events[1].soldAt');
    const wasteProblem = expectProblem(await api.request('POST', '/v1/waste', { events: [waste('future-w', { wastedAt: new Date(NOW + HOUR).toISOString() })] }), 400);
    expect(wasteProblem.field).toBe('events[0].wastedAt');
    expect(await count('sales', 'future-')).toBe(1);
  });

  it('refuses an idempotency key reused for a different event (409) and stores nothing of that batch', async () => {
    expect((await api.request('POST', '/v1/sales', { events: [sale('reuse-0')] })).body.created).toBe(1);
    const problem = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('reuse-1'), sale('reuse-0', { quantity: 5 })] }), 409);
    expect(problem.field).toBe('events[1].idempotencyKey');
    expect(await count('sales', 'reuse-')).toBe(1);
    const inBatch = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('reuse-2'), sale('reuse-2', { quantity: 7 })] }), 400);
    expect(inBatch.field).toBe('events[1].idempotencyKey');
    // The same event twice in one batch is simply stored once.
    expect((await api.request('POST', '/v1/sales', { events: [sale('reuse-3'), sale('reuse-3')] })).body).toMatchObject({ received: 2, created: 1, duplicates: 1 });
  });

  it('keeps customer ids only as an HMAC', async () => {
    expect((await api.request('POST', '/v1/sales', { events: [sale('customer-0', { customerId: 'loyalty-4711', segment: 'gold' })] })).status).toBe(200);
    const [row] = await db.query(`SELECT * FROM sales WHERE idempotency_key = 'customer-0'`);
    expect(row.customer_hash).toBe(createHmac('sha256', HMAC_KEY).update('loyalty-4711').digest('hex'));
    expect(JSON.stringify(row)).not.toContain('loyalty-4711');
  });

  it('links a sale without a decision id to the decision in force for its store × SKU, and checks a given one', async () => {
    const priced = await api.request('POST', '/v1/prices', { storeId: 'S1', items: [{ skuCode: 'MILK' }, { skuCode: 'BREAD' }] });
    expect(priced.status).toBe(200);
    const [milk, bread] = priced.body.items as Array<{ decisionId: string }>;
    api.app.get(Clock).set(NOW + HOUR);
    const linked = await api.request('POST', '/v1/sales', {
      events: [sale('link-0', { soldAt: new Date(NOW + 30 * 60_000).toISOString() }), sale('link-1', { soldAt: new Date(NOW - HOUR).toISOString() }), sale('link-2', { decisionId: milk?.decisionId })],
    });
    expect(linked.body).toMatchObject({ created: 3, decisionsLinked: 1 });
    const rows = await db.query(`SELECT idempotency_key, decision_id FROM sales WHERE idempotency_key LIKE 'link-%' ORDER BY idempotency_key`);
    // After the decision: linked to it; before any decision: nothing to link; given: kept.
    expect(rows.map((row: { decision_id: string | null }) => row.decision_id)).toEqual([milk?.decisionId, null, milk?.decisionId]);

    const wrongSku = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('link-3', { decisionId: bread?.decisionId })] }), 400);
    expect(wrongSku.field).toBe('events[0].decisionId');
    const unknown = expectProblem(await api.request('POST', '/v1/sales', { events: [sale('link-4', { decisionId: '01890a5d-ac96-774b-bcce-b302099a8057' })] }), 400);
    expect(unknown.field).toBe('events[0].decisionId');
    api.app.get(Clock).set(NOW);
  });

  it('takes a waste event’s unit cost from the SKU unless given', async () => {
    const answer = await api.request('POST', '/v1/waste', { events: [waste('cost-0'), waste('cost-1', { unitCost: 0.5, reason: 'damaged' })] });
    expect(answer.body).toMatchObject({ received: 2, created: 2 });
    const rows = await db.query(`SELECT idempotency_key, unit_cost::float8 AS unit_cost, reason FROM waste_events WHERE idempotency_key LIKE 'cost-%' ORDER BY idempotency_key`);
    expect(rows).toEqual([
      { idempotency_key: 'cost-0', unit_cost: 0.8, reason: 'expired' },
      { idempotency_key: 'cost-1', unit_cost: 0.5, reason: 'damaged' },
    ]);
  });

  it('takes 10,000 events in one batch and refuses 10,001', async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => sale(`big-${i}`, { soldAt: new Date(NOW - (i % 500) * 60_000 - HOUR).toISOString(), quantity: 1 }));
    const answer = await api.request('POST', '/v1/sales', { events });
    expect(answer.body).toMatchObject({ received: 10_000, created: 10_000 });
    expect(await count('sales', 'big-')).toBe(10_000);
    const problem = expectProblem(await api.request('POST', '/v1/sales', { events: [...events, sale('big-extra')] }), 400);
    expect(problem.field).toBe('events');
  });

  describe('a SKU deleted while a batch that names it is being stored', () => {
    async function createSku(code: string): Promise<void> {
      expect((await api.request('POST', '/v1/skus', { code, name: code, category: 'bakery', unitCost: 0.8, listPrice: 2.49, shelfLifeDays: 5 })).status).toBe(201);
    }
    const orphans = async (): Promise<number> =>
      (await db.query(`SELECT count(*)::int AS n FROM waste_events w WHERE NOT EXISTS (SELECT 1 FROM skus WHERE code = w.sku_code)`))[0].n;

    it('refuses the batch when the delete lands after the check in memory and before the insert', async () => {
      await createSku('GONE-1');
      // The batch has passed the in-memory check; the delete lands before its transaction.
      const partitions = api.app.get(PartitionManager);
      const ensure = partitions.ensure.bind(partitions);
      const spy = jest.spyOn(partitions, 'ensure').mockImplementationOnce(async (...args) => {
        expect((await api.request('DELETE', '/v1/skus/GONE-1')).status).toBe(204);
        return ensure(...args);
      });
      try {
        const problem = expectProblem(await api.request('POST', '/v1/waste', { events: [waste('gone-1-0', { skuCode: 'BREAD' }), waste('gone-1-1', { skuCode: 'GONE-1' })] }), 400);
        expect(problem.field).toBe('events[1].skuCode');
      } finally {
        spy.mockRestore();
      }
      expect(await count('waste_events', 'gone-1-')).toBe(0);
      expect(await orphans()).toBe(0);
    });

    it('keeps the SKU when the delete comes while the batch is being inserted (409), and stores the batch', async () => {
      await createSku('GONE-2');
      const ingestion = api.app.get(SalesIngestionService) as unknown as { insertWaste(...args: unknown[]): Promise<unknown> };
      const insertWaste = ingestion.insertWaste.bind(ingestion);
      const deleting: { answer?: Promise<TestResponse> } = {};
      const spy = jest.spyOn(ingestion, 'insertWaste').mockImplementationOnce(async (...args) => {
        // Inside the batch's transaction: the delete starts now and must wait for it.
        deleting.answer = api.request('DELETE', '/v1/skus/GONE-2');
        await new Promise((resolve) => setTimeout(resolve, 150));
        return insertWaste(...args);
      });
      try {
        const answer = await api.request('POST', '/v1/waste', { events: [waste('gone-2-0', { skuCode: 'GONE-2' })] });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ created: 1 });
      } finally {
        spy.mockRestore();
      }
      const deleted = expectProblem(await (deleting.answer as Promise<TestResponse>), 409);
      expect(deleted.detail).toMatch(/waste events/);
      expect((await api.request('GET', '/v1/skus/GONE-2')).status).toBe(200);
      expect(await orphans()).toBe(0);
    });
  });
});
