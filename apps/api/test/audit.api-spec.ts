import { getDataSourceToken } from '@nestjs/typeorm';
import { uuidv7 } from '@dynaprice/kernel';
import { createHash, createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog, type AuditRecord } from '../src/audit/audit-log';
import { AuditRetention } from '../src/audit/audit-retention';
import { CustomerHasher } from '../src/sales/customer-hasher';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const DAY = 86_400_000;

interface Entry {
  id: string;
  at: string;
  requestId: string;
  caller: string;
  callerKind: string;
  role: string | null;
  method: string;
  route: string;
  status: number;
  detail: string | null;
  payloadHash: string | null;
  sourceIp: string;
  decisionIds: string[] | null;
  storeIds: string[] | null;
  skuCodes: string[] | null;
}

describe(`audit trail of every call (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let dataSource: DataSource;
  let skuCodes: string[];
  let posCaller: string;

  beforeAll(async () => {
    api = await startTestApp(SMALL_DEMO);
    dataSource = api.app.get<DataSource>(getDataSourceToken());
    skuCodes = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
    const key = await api.apiKey('pos');
    posCaller = `key:${key.slice(0, key.lastIndexOf('_'))}`;
  });
  afterAll(() => api.close());

  async function audit(query: string): Promise<{ items: Entry[]; nextCursor: string | null }> {
    const response = await api.request('GET', `/v1/audit?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function byRequestId(requestId: string): Promise<Entry> {
    const { items } = await audit('limit=1000');
    const entry = items.find((item) => item.requestId === requestId);
    if (!entry) throw new Error(`no audit entry for ${requestId}`);
    return entry;
  }

  it('records who called which route, the outcome, a keyed hash of the body, the source and the decisions served', async () => {
    const body = JSON.stringify({ storeId: 'S01', items: [{ skuCode: skuCodes[1] }, { skuCode: skuCodes[0] }], customerId: 'loyalty-55501' });
    const priced = await api.as('pos').request('POST', '/v1/prices', body, { 'content-type': 'application/json', 'x-request-id': 'audit-price-1' });
    expect(priced.status).toBe(200);

    const entry = await byRequestId('audit-price-1');
    const payloadKey = Buffer.from(api.app.get(CustomerHasher).hash('dynaprice/audit-payload/v1'), 'hex');
    expect(entry).toMatchObject({
      caller: posCaller,
      callerKind: 'api-key',
      role: 'pos',
      method: 'POST',
      route: '/v1/prices',
      status: 200,
      detail: null,
      payloadHash: createHmac('sha256', payloadKey).update(body).digest('hex'),
      sourceIp: '127.0.0.1',
      decisionIds: priced.body.items.map((line: { decisionId: string }) => line.decisionId),
      storeIds: ['S01'],
      skuCodes: [skuCodes[0], skuCodes[1]].sort(),
    });
    // The hash is keyed: not the plain SHA-256 of the body, which a guesser could recompute.
    expect(entry.payloadHash).not.toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('keeps the decision ids of a priced call once: the audit row links the request record that holds them', async () => {
    await api.as('pos').request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: skuCodes[2] }] }, { 'x-request-id': 'audit-link-1' });
    const entry = await byRequestId('audit-link-1');
    const [row] = (await dataSource.query(
      `SELECT a.decision_ids, r.decision_ids::text[] AS request_decision_ids
       FROM audit_log a JOIN price_requests r ON r.id = a.price_request_id AND r.requested_at = a.price_requested_at
       WHERE a.request_id = 'audit-link-1'`,
    )) as Array<{ decision_ids: string[] | null; request_decision_ids: string[] }>;
    expect(row).toEqual({ decision_ids: null, request_decision_ids: entry.decisionIds });
    expect(entry.decisionIds).toHaveLength(1);
    // Calls that price nothing link nothing.
    const [unlinked] = (await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE route <> ALL($1) AND price_request_id IS NOT NULL`, [['/v1/prices', '/v1/stores/:id/reprice']])) as Array<{ n: number }>;
    expect(unlinked?.n).toBe(0);
  });

  it('replays an audit journal line of the earlier version, which carried the decision ids itself, whole', async () => {
    const log = api.app.get(AuditLog);
    const at = Date.now() - 1_000;
    const decisionIds = [uuidv7(at), uuidv7(at)];
    const earlierLine = {
      id: uuidv7(at), at: new Date(at).toISOString(), requestId: 'audit-earlier-1', caller: posCaller, callerKind: 'api-key', callerId: null, role: 'pos',
      method: 'POST', route: '/v1/prices', status: 200, detail: null, payloadHash: null, sourceIp: '127.0.0.1', durationMs: 2, decisionIds, storeIds: ['S01'], skuCodes: null,
    };
    log.record(earlierLine as unknown as AuditRecord);
    expect(await byRequestId('audit-earlier-1')).toMatchObject({ requestId: 'audit-earlier-1', decisionIds });
  });

  it('records the decisions a shelf-label page served, as it does for a basket', async () => {
    const page = await api.as('pos').request('POST', '/v1/stores/S01/reprice?limit=3', undefined, { 'x-request-id': 'audit-reprice-1' });
    expect(page.status).toBe(200);
    expect(await byRequestId('audit-reprice-1')).toMatchObject({
      route: '/v1/stores/:id/reprice',
      status: 200,
      decisionIds: page.body.items.map((line: { decisionId: string }) => line.decisionId),
      storeIds: ['S01'],
    });
  });

  it('records refused calls with the reason, and reads without a body have no payload hash', async () => {
    await api.anonymous.request('GET', '/v1/stores', undefined, { 'x-request-id': 'audit-anon-1' });
    await api.as('finance').request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: skuCodes[0] }] }, { 'x-request-id': 'audit-denied-1' });
    await api.anonymous.request('GET', '/v1/stores', undefined, { 'x-api-key': 'dp_nosuchkey_AAAAAAAAAAAAAAAAAAAA', 'x-request-id': 'audit-badkey-1' });
    await api.as('merchandiser').request('GET', '/v1/stores/S02', undefined, { 'x-request-id': 'audit-read-1' });

    expect(await byRequestId('audit-anon-1')).toMatchObject({ caller: 'anonymous', callerKind: 'anonymous', role: null, status: 401, detail: expect.stringContaining('credentials required'), payloadHash: null });
    expect(await byRequestId('audit-denied-1')).toMatchObject({ role: 'finance', status: 403, detail: expect.stringContaining('prices:quote') });
    expect(await byRequestId('audit-badkey-1')).toMatchObject({ caller: 'anonymous', status: 401, detail: 'API key not recognised' });
    expect(await byRequestId('audit-read-1')).toMatchObject({ role: 'merchandiser', route: '/v1/stores/:id', status: 200, payloadHash: null, storeIds: ['S02'] });
  });

  it('filters by caller, route, method, status, time, store and SKU', async () => {
    const sku = skuCodes[5] as string;
    await api.as('pos').request('POST', '/v1/prices', { storeId: 'S02', items: [{ skuCode: sku }] }, { 'x-request-id': 'audit-filter-1' });
    const only = (page: { items: Entry[] }): string[] => page.items.map((item) => item.requestId);

    expect(only(await audit(`sku=${sku}&store=S02`))).toContain('audit-filter-1');
    expect(only(await audit(`sku=${sku}&store=S01`))).not.toContain('audit-filter-1');
    const byCaller = await audit(`caller=${encodeURIComponent(posCaller)}`);
    expect(byCaller.items.length).toBeGreaterThan(0);
    expect(byCaller.items.every((item) => item.caller === posCaller)).toBe(true);
    const refused = await audit('status=401');
    expect(refused.items.length).toBeGreaterThan(0);
    expect(refused.items.every((item) => item.status === 401)).toBe(true);
    expect((await audit('route=/v1/prices&method=POST')).items.every((item) => item.route === '/v1/prices' && item.method === 'POST')).toBe(true);
    const now = Date.now();
    expect(only(await audit(`from=${new Date(now - 60_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`))).toContain('audit-filter-1');
    expect((await audit(`from=${new Date(now + DAY).toISOString()}`)).items).toEqual([]);
    expectProblem(await api.request('GET', '/v1/audit?status=abc'), 400);
    expectProblem(await api.request('GET', '/v1/audit?cursor=bm90LWEtY3Vyc29y'), 400);
  });

  it('pages newest first with a keyset cursor: every entry once, in order', async () => {
    for (let index = 0; index < 7; index++) await api.as('data-scientist').request('GET', '/v1/skus?limit=1', undefined, { 'x-request-id': `audit-page-${index}` });
    const key = await api.apiKey('data-scientist');
    const caller = encodeURIComponent(`key:${key.slice(0, key.lastIndexOf('_'))}`);
    const all = (await audit(`caller=${caller}&limit=1000`)).items;
    const walked: Entry[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Entry[]; nextCursor: string | null } = await audit(`caller=${caller}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
    expect(all.length).toBeGreaterThanOrEqual(7);
    const keys = walked.map((entry) => `${entry.at}|${entry.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
  });

  it('is append-only: the database refuses to change or delete a record', async () => {
    await api.app.get(AuditLog).flush();
    await expect(dataSource.query(`UPDATE audit_log SET status = 200 WHERE status = 401`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect((await audit('status=401')).items.length).toBeGreaterThan(0);
  });

  it('drops whole days past AUDIT_RETENTION_DAYS and keeps the rest', async () => {
    const log = api.app.get(AuditLog);
    const old = Date.now() - 400 * DAY;
    const template = (await byRequestId('audit-anon-1')) as unknown as Record<string, unknown>;
    log.record({
      id: uuidv7(old),
      at: new Date(old).toISOString(),
      requestId: 'audit-ancient-1',
      caller: 'anonymous',
      callerKind: 'anonymous',
      callerId: null,
      role: null,
      method: 'GET',
      route: '/v1/stores',
      status: 401,
      detail: String(template['detail']),
      payloadHash: null,
      sourceIp: '127.0.0.1',
      durationMs: 1,
      priceRequestId: null,
      priceRequestedAt: null,
      storeIds: null,
      skuCodes: null,
    });
    await log.flush();
    const partition = `audit_log_p${new Date(old).toISOString().slice(0, 10).replace(/-/g, '')}`;
    expect((await audit(`to=${new Date(old + DAY).toISOString()}`)).items.map((item) => item.requestId)).toEqual(['audit-ancient-1']);

    expect(await api.app.get(AuditRetention).purge()).toEqual([partition]);
    expect((await audit(`to=${new Date(old + DAY).toISOString()}`)).items).toEqual([]);
    expect((await audit('limit=1000')).items.map((item) => item.requestId)).toContain('audit-price-1');
  });
});
