import { getDataSourceToken } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { embeddedDatabaseFaults } from '../src/database/embedded-faults';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';

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
});
