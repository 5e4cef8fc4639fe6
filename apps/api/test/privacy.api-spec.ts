import { getDataSourceToken } from '@nestjs/typeorm';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log';
import { DecisionJournal } from '../src/pricing/decision-journal';
import { CustomerHasher } from '../src/sales/customer-hasher';
import { SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

/** Raw customer and session ids sent in this run: none of them may be kept anywhere. */
const RAW_IDS = {
  pricedCustomer: 'CUST-RAW-4f9a2c7e-loyalty',
  pricedSession: 'SESS-RAW-8b1d3e6f-checkout',
  refusedCustomer: 'CUST-RAW-0c55d1aa-refused',
  saleCustomer: 'CUST-RAW-77d2b9e4-receipt',
  repeatCustomer: 'CUST-RAW-31aa90fe-repeat',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe(`no raw customer id in the database, the logs, the journals or /metrics (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let spoolDir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'dynaprice-privacy-'));
    api = await startTestApp({ ...SMALL_DEMO, SPOOL_DIR: spoolDir });
    dataSource = api.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await api.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('keeps only keyed hashes of the customer ids of price requests and sales, everywhere', async () => {
    const skuCodes: string[] = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
    const pos = api.as('pos');
    const priced = await pos.request('POST', '/v1/prices', {
      storeId: 'S01',
      items: skuCodes.slice(0, 5).map((skuCode) => ({ skuCode })),
      customerId: RAW_IDS.pricedCustomer,
      sessionId: RAW_IDS.pricedSession,
      segment: 'gold',
      channel: 'online',
    });
    expect(priced.status).toBe(200);
    expect((await pos.request('POST', '/v1/prices', { storeId: 'S02', items: [{ skuCode: skuCodes[0] }], customerId: RAW_IDS.repeatCustomer })).status).toBe(200);
    // Refused requests carry ids too: an unknown SKU (400) and a role without the permission (403).
    expect((await pos.request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: 'NO-SUCH-SKU' }], customerId: RAW_IDS.refusedCustomer })).status).toBe(400);
    expect((await api.as('finance').request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: skuCodes[0] }], customerId: RAW_IDS.refusedCustomer })).status).toBe(403);
    const sale = {
      idempotencyKey: 'privacy-sale-1',
      storeId: 'S01',
      skuCode: skuCodes[0],
      quantity: 1,
      unitPrice: priced.body.items[0].price,
      soldAt: new Date(Date.now() - 60_000).toISOString(),
      decisionId: priced.body.items[0].decisionId,
      customerId: RAW_IDS.saleCustomer,
      segment: 'gold',
    };
    expect((await pos.request('POST', '/v1/sales', { events: [sale] })).status).toBe(200);
    expect((await pos.request('POST', '/v1/sales', { events: [{ ...sale, idempotencyKey: 'privacy-sale-2', customerId: 'x'.repeat(129) }] })).status).toBe(400);

    await api.app.get(DecisionJournal).flush();
    await api.app.get(AuditLog).flush();
    const metrics = await api.request('GET', '/metrics');
    expect(metrics.status).toBe(200);

    // The data did arrive, as keyed hashes: the scan below looks at rows that exist.
    const hasher = api.app.get(CustomerHasher);
    const [request] = (await dataSource.query(`SELECT count(*)::int AS n FROM price_requests WHERE customer_hash = $1`, [hasher.hash(RAW_IDS.pricedCustomer)])) as Array<{ n: number }>;
    expect(request?.n).toBe(1);
    const [stored] = (await dataSource.query(`SELECT count(*)::int AS n FROM sales WHERE customer_hash = $1`, [hasher.hash(RAW_IDS.saleCustomer)])) as Array<{ n: number }>;
    expect(stored?.n).toBe(1);

    // Every table of the schema (partitions included), every column, as text.
    const tables = (await dataSource.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`,
    )) as Array<{ name: string }>;
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['price_requests', 'sales', 'audit_log', 'users', 'api_keys']));
    const found: string[] = [];
    let rowsScanned = 0;
    for (const { name } of tables) {
      const [count] = (await dataSource.query(`SELECT count(*)::int AS n FROM "${name}"`)) as Array<{ n: number }>;
      rowsScanned += count?.n ?? 0;
      for (const raw of Object.values(RAW_IDS)) {
        const [hit] = (await dataSource.query(`SELECT count(*)::int AS n FROM "${name}" t WHERE strpos(t::text, $1) > 0`, [raw])) as Array<{ n: number }>;
        if ((hit?.n ?? 0) > 0) found.push(`${name}: ${raw}`);
      }
    }
    expect(rowsScanned).toBeGreaterThan(1000);
    // The same scan finds what is there: the keyed hash of the priced customer.
    const [control] = (await dataSource.query(`SELECT count(*)::int AS n FROM price_requests t WHERE strpos(t::text, $1) > 0`, [hasher.hash(RAW_IDS.pricedCustomer)])) as Array<{ n: number }>;
    expect(control?.n).toBe(1);

    const logs = api.logs.map((line) => JSON.stringify(line)).join('\n');
    expect(logs).toContain('price decisions');
    expect(metrics.text).toContain('dynaprice_');
    const journals = filesUnder(spoolDir).map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const raw of Object.values(RAW_IDS)) {
      if (logs.includes(raw)) found.push(`logs: ${raw}`);
      if (metrics.text.includes(raw)) found.push(`/metrics: ${raw}`);
      if (journals.includes(raw)) found.push(`journal files: ${raw}`);
    }
    expect(found).toEqual([]);
  });
});
