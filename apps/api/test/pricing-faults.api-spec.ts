import { TcpProxy } from '@dynaprice/fault-injection';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { embeddedDatabaseFaults } from '../src/database/embedded-faults';
import { DecisionJournal, type DecisionRecord, type RequestRecord } from '../src/pricing/decision-journal';
import { SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

/** Takes the database away from the running app and gives it back: a real cut on PostgreSQL. */
interface Outage {
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

describe(`pricing while the database is down (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let outage: Outage;
  let spoolDir: string;

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'dynaprice-spool-'));
    const env = { ...SMALL_DEMO, SPOOL_DIR: spoolDir };
    const databaseUrl = process.env['DATABASE_URL'];
    if (databaseUrl) {
      const target = new URL(databaseUrl);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      const port = await proxy.start();
      target.host = `127.0.0.1:${port}`;
      api = await startTestApp(env, { databaseUrl: target.toString() });
      outage = { cut: () => proxy.cut(), restore: () => proxy.restore(), stop: () => proxy.stop() };
    } else {
      api = await startTestApp(env);
      outage = {
        cut: async () => {
          embeddedDatabaseFaults.down = true;
        },
        restore: async () => {
          embeddedDatabaseFaults.down = false;
        },
        stop: async () => undefined,
      };
    }
  });

  afterAll(async () => {
    await outage.restore();
    await api.close();
    await outage.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('keeps answering from memory, journals to disk, and stores every decision exactly once afterwards', async () => {
    const skuCodes: string[] = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
    const warm = await api.request('POST', '/v1/prices', { storeId: 'S01', items: skuCodes.slice(0, 5).map((skuCode) => ({ skuCode })) });
    expect(warm.status).toBe(200);
    const journal = api.app.get(DecisionJournal);
    await journal.flush();

    await outage.cut();
    const decisionIds = new Set<string>();
    for (let start = 0; start < skuCodes.length; start += 10) {
      const response = await api.request('POST', '/v1/prices', { storeId: 'S01', items: skuCodes.slice(start, start + 10).map((skuCode) => ({ skuCode })) });
      expect(response.status).toBe(200);
      for (const line of response.body.items as Array<{ decisionId: string; reused: boolean }>) if (!line.reused) decisionIds.add(line.decisionId);
    }
    await journal.flush();
    expect(journal.backlog).toBeGreaterThan(0);
    expect((await api.request('GET', '/health/ready')).status).toBe(503);
    // A decision made during the outage can still be read: from the journal.
    const [someId] = [...decisionIds];
    expect((await api.request('GET', `/v1/decisions/${someId}`)).status).toBe(200);

    await outage.restore();
    for (let attempt = 0; attempt < 100 && journal.backlog > 0; attempt++) {
      await journal.flush();
      if (journal.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(journal.backlog).toBe(0);
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const rows: Array<{ id: string; copies: number }> = await dataSource.query(
      `SELECT id, COUNT(*)::int AS copies FROM price_decisions WHERE id = ANY($1::uuid[]) GROUP BY id`,
      [[...decisionIds]],
    );
    expect(rows).toHaveLength(decisionIds.size);
    expect(rows.every((row) => row.copies === 1)).toBe(true);
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
  });

  it('sets aside a record the database refuses, stores the rest of its batch, and reports it on /metrics', async () => {
    const journal = api.app.get(DecisionJournal);
    await journal.flush();
    const sku: { code: string } = (await api.request('GET', '/v1/skus?limit=1')).body.items[0];
    const decision = (currency: string): DecisionRecord => ({
      id: randomUUID(), decidedAt: new Date().toISOString(), storeId: 'S01', skuCode: sku.code, price: 2.49, currency, listPrice: 2.99,
      unitCost: 1.2, variant: 'control', experimentId: null, modelVersion: null, reason: 'legacy', boundBy: null, expectedUnits: 3,
      expectedMargin: 3.87, validUntil: new Date(Date.now() + 3_600_000).toISOString(), storeDay: new Date().toISOString().slice(0, 10),
      daysToExpiry: 3, stockUnits: 12, features: null, detail: null, fingerprint: 'test', requestId: 'refused-record-test', caller: 'test',
    });
    // char(3): the database refuses this one value every time; the journal must not retry it forever in front of the rest.
    const [before, refused, after] = [decision('EUR'), decision('EURO'), decision('EUR')];
    const request: RequestRecord = {
      id: randomUUID(), requestedAt: new Date().toISOString(), requestId: 'refused-record-test', caller: 'test', storeId: 'S01', channel: null,
      customerHash: null, segment: null, decisionIds: [before.id, refused.id, after.id],
    };
    await journal.append([before, refused, after], request);
    await journal.flush();

    expect(journal.backlog).toBe(0);
    expect(journal.lastFlushError).toBeNull();
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const stored: Array<{ id: string }> = await dataSource.query(`SELECT id FROM price_decisions WHERE id = ANY($1::uuid[]) ORDER BY decided_at`, [[before.id, refused.id, after.id]]);
    expect(stored.map((row) => row.id).sort()).toEqual([before.id, after.id].sort());
    expect(await dataSource.query(`SELECT 1 FROM price_requests WHERE id = $1`, [request.id])).toHaveLength(1);
    expect(journal.rejectedRecords()).toBe(1);
    const [file] = readdirSync(join(spoolDir, 'rejected'));
    expect(JSON.parse(readFileSync(join(spoolDir, 'rejected', file as string), 'utf8'))).toEqual({ kind: 'decision', record: refused });
    expect((await api.request('GET', '/metrics')).text).toContain('dynaprice_journal_rejected_records{journal="decisions"} 1');
  });
});
