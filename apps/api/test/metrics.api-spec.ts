import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainMetrics } from '../src/monitoring/domain-metrics';
import { SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

interface DocumentedMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
}

/** The rows of docs/metrics.md's table whose first cell is a backticked dynaprice_ name. */
function documentedMetrics(): DocumentedMetric[] {
  const doc = readFileSync(join(__dirname, '../../../docs/metrics.md'), 'utf8');
  const rows: DocumentedMetric[] = [];
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`(dynaprice_[a-z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const type = cells[2] as DocumentedMetric['type'];
    expect(['counter', 'gauge', 'histogram']).toContain(type);
    const labels = [...(cells[3] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1] as string);
    rows.push({ name, type, labels });
  }
  return rows;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  text: string;
  types: Map<string, string>;
  samples: Sample[];
}

function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    if (!line || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const match of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1] as string] = match[2] as string;
    samples.push({ name: sample[1] as string, labels, value: Number(sample[3]) });
  }
  return { text, types, samples };
}

/** The value of the one sample with exactly this name and these labels (0 when absent). */
function value(exposition: Exposition, name: string, labels: Record<string, string>): number {
  const matches = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([key, v]) => s.labels[key] === v));
  return matches.reduce((sum, s) => sum + s.value, 0);
}

const DEFAULT_METRICS = /^dynaprice_(process|nodejs)_/;
const CUSTOMER_ID = `CUST-${randomUUID()}`;

describe(`metrics (${TEST_DATABASE})`, () => {
  let api: TestApp;
  const documented = documentedMetrics();

  async function scrape(): Promise<Exposition> {
    const response = await api.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^text\/plain/);
    return parseExposition(response.text);
  }

  beforeAll(async () => {
    // The drift monitor's own periodic check would replace the PSI series this file records by hand.
    api = await startTestApp({ ...SMALL_DEMO, DRIFT_CHECK_INTERVAL_MS: String(24 * 3_600_000) });
  });
  afterAll(() => api.close());

  it('reads a non-trivial table from docs/metrics.md', () => {
    expect(documented.length).toBeGreaterThanOrEqual(15);
    expect(new Set(documented.map((m) => m.name)).size).toBe(documented.length);
    expect(documented.map((m) => m.name)).toEqual(
      expect.arrayContaining(['dynaprice_http_request_duration_seconds', 'dynaprice_feature_psi', 'dynaprice_fairness_gap', 'dynaprice_ingestion_lag_seconds']),
    );
  });

  it('exposes every documented name with its documented type', async () => {
    const exposition = await scrape();
    const exposed = documented.map((m) => ({ name: m.name, type: exposition.types.get(m.name) ?? 'missing' }));
    expect(exposed).toEqual(documented.map((m) => ({ name: m.name, type: m.type })));
  });

  it('exposes no undocumented dynaprice_ name and no undocumented label', async () => {
    await api.request('GET', '/health/live');
    const exposition = await scrape();
    const names = new Map(documented.map((m) => [m.name, m]));
    const undocumented = [...exposition.types.keys()].filter((name) => !names.has(name) && !DEFAULT_METRICS.test(name));
    expect(undocumented).toEqual([]);

    const badLabels: string[] = [];
    for (const sample of exposition.samples) {
      const metric = names.get(sample.name) ?? names.get(sample.name.replace(/_(bucket|sum|count)$/, ''));
      if (!metric) continue;
      const allowed = new Set([...metric.labels, ...(metric.type === 'histogram' && sample.name.endsWith('_bucket') ? ['le'] : [])]);
      for (const label of Object.keys(sample.labels)) if (!allowed.has(label)) badLabels.push(`${sample.name}{${label}}`);
    }
    expect(badLabels).toEqual([]);
  });

  it('times requests by route pattern and status, and counts 4xx, never with the raw URL', async () => {
    const before = await scrape();
    const decisionId = randomUUID();
    const unknownPath = `/no-such-route-${randomUUID()}`;
    expect((await api.request('GET', '/v1/skus?limit=5')).status).toBe(200);
    expect((await api.request('GET', `/v1/decisions/${decisionId}`)).status).toBe(404);
    expect((await api.request('GET', unknownPath)).status).toBe(404);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect({
      skus: delta('dynaprice_http_request_duration_seconds_count', { route: '/v1/skus', method: 'GET', status: '200' }),
      skusErrors: delta('dynaprice_http_errors_total', { route: '/v1/skus', method: 'GET', status: '200' }),
      decision: delta('dynaprice_http_request_duration_seconds_count', { route: '/v1/decisions/:id', method: 'GET', status: '404' }),
      decisionErrors: delta('dynaprice_http_errors_total', { route: '/v1/decisions/:id', method: 'GET', status: '404' }),
      unmatched: delta('dynaprice_http_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status: '404' }),
      unmatchedErrors: delta('dynaprice_http_errors_total', { route: 'unmatched', method: 'GET', status: '404' }),
    }).toEqual({ skus: 1, skusErrors: 0, decision: 1, decisionErrors: 1, unmatched: 1, unmatchedErrors: 1 });
    // Every observation lands in a bucket: +Inf equals the count.
    expect(value(after, 'dynaprice_http_request_duration_seconds_bucket', { route: '/v1/skus', method: 'GET', status: '200', le: '+Inf' })).toBe(
      value(after, 'dynaprice_http_request_duration_seconds_count', { route: '/v1/skus', method: 'GET', status: '200' }),
    );
    expect(after.text).not.toContain(decisionId);
    expect(after.text).not.toContain(unknownPath);
    expect(after.text).not.toContain('limit=5');
  });

  it('counts decisions by variant, reason and model version and never exports the customer id', async () => {
    const skuCodes: string[] = (await api.request('GET', '/v1/skus?limit=1000')).body.items.map((sku: { code: string }) => sku.code);
    const response = await api.request('POST', '/v1/prices', {
      storeId: 'S01',
      items: skuCodes.slice(0, 4).map((skuCode) => ({ skuCode })),
      customerId: CUSTOMER_ID,
      segment: 'gold',
      channel: 'online',
    });
    expect(response.status).toBe(200);
    const exposition = await scrape();
    const decisions = exposition.samples.filter((s) => s.name === 'dynaprice_decisions_total');
    expect(decisions.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(1);
    for (const sample of decisions) expect(Object.keys(sample.labels).sort()).toEqual(['model_version', 'reason', 'variant']);
    expect(value(exposition, 'dynaprice_decision_lines_total', {})).toBeGreaterThanOrEqual(4);
    expect(value(exposition, 'dynaprice_price_index_count', {})).toBeGreaterThanOrEqual(1);
    expect(value(exposition, 'dynaprice_model_inference_seconds_count', {})).toBeGreaterThanOrEqual(1);
    expect(exposition.text).not.toContain(CUSTOMER_ID);
    expect(exposition.text).not.toContain('gold');
  });

  it('initialises the domain metrics and collects the journal and database state at scrape time', async () => {
    const exposition = await scrape();
    const single = (name: string) => exposition.samples.filter((s) => s.name === name).map((s) => s.value);
    expect({
      fairnessFailed: single('dynaprice_fairness_audit_failed'),
      flushFailing: single('dynaprice_decision_journal_flush_failing'),
      databaseUp: single('dynaprice_database_up'),
      backlogSamples: single('dynaprice_decision_journal_backlog').length,
      salesLag: value(exposition, 'dynaprice_ingestion_lag_seconds_count', { source: 'sales' }),
      wasteLagSeries: exposition.samples.filter((s) => s.name === 'dynaprice_ingestion_lag_seconds_count' && s.labels['source'] === 'waste').length,
    }).toEqual({ fairnessFailed: [0], flushFailing: [0], databaseUp: [1], backlogSamples: 1, salesLag: 0, wasteLagSeries: 1 });
  });

  it('shows what drift, fairness and ingestion record through DomainMetrics', async () => {
    const domain = api.app.get(DomainMetrics);
    domain.recordDrift({ modelVersion: 'm-000000000001', features: [{ feature: 'price_ratio', psi: 0.31 }, { feature: 'velocity_7d', psi: 0.04 }] });
    domain.recordDrift({ modelVersion: 'm-000000000002', features: [{ feature: 'price_ratio', psi: 0.12 }, { feature: CUSTOMER_ID, psi: 0.5 }] });
    domain.recordFairnessAudit({ status: 'fail', attributes: [{ attribute: 'loyaltyTier', gap: 0.034 }, { attribute: 'ageBand', gap: null }] });
    const now = Date.now();
    domain.recordIngestion('sales', new Date(now - 90_000).toISOString(), now);
    domain.recordIngestion('waste', now + 5_000, now);

    const exposition = await scrape();
    const psi = exposition.samples.filter((s) => s.name === 'dynaprice_feature_psi').map((s) => ({ ...s.labels, value: s.value }));
    expect(psi).toEqual([{ model_version: 'm-000000000002', feature: 'price_ratio', value: 0.12 }]);
    const gaps = exposition.samples.filter((s) => s.name === 'dynaprice_fairness_gap').map((s) => ({ ...s.labels, value: s.value }));
    expect(gaps).toEqual([{ attribute: 'loyaltyTier', value: 0.034 }]);
    expect(value(exposition, 'dynaprice_fairness_audit_failed', {})).toBe(1);
    expect(value(exposition, 'dynaprice_ingestion_lag_seconds_sum', { source: 'sales' })).toBeCloseTo(90, 3);
    expect(value(exposition, 'dynaprice_ingestion_lag_seconds_bucket', { source: 'sales', le: '60' })).toBe(0);
    expect(value(exposition, 'dynaprice_ingestion_lag_seconds_bucket', { source: 'sales', le: '300' })).toBe(1);
    expect(value(exposition, 'dynaprice_ingestion_lag_seconds_sum', { source: 'waste' })).toBe(0);
    expect(value(exposition, 'dynaprice_ingestion_lag_seconds_count', { source: 'waste' })).toBe(1);
    expect(exposition.text).not.toContain(CUSTOMER_ID);

    domain.recordFairnessAudit({ status: 'pass', attributes: [{ attribute: 'loyaltyTier', gap: 0.01 }] });
    expect(value(await scrape(), 'dynaprice_fairness_audit_failed', {})).toBe(0);
  });
});
