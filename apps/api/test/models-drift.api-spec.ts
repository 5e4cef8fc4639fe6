import { DEMAND_FEATURES } from '@dynaprice/pricing';
import { Clock } from '../src/common/clock';
import { DriftMonitor, type ObservedDecision } from '../src/models/drift-monitor';
import { RetrainingService } from '../src/models/retraining.service';
import { cardReferences, lightGbmStyle, multipart, parallelTreesStyle, servedCard, syntheticFeatureRows, xgboostStyle } from './support/onnx-models';
import { expectProblem, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);
const WIDTH = DEMAND_FEATURES.length;
/** Business time of the checks: within the last of the 24 hours fed (the window ends with this hour). */
const END = T0 + 23 * HOUR + 30 * 60_000;

describe(`feature drift (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let monitor: DriftMonitor;
  let steady: string;
  let shifted: string;
  let bare: string;

  beforeAll(async () => {
    // Checks run when the test says so; queued retraining runs stay queued (no worker), nothing to train on here.
    api = await startTestApp({ DRIFT_CHECK_INTERVAL_MS: '3600000', RETRAIN_WORKER: 'false', RETRAIN_NIGHTLY: 'false' });
    monitor = api.app.get(DriftMonitor);
    api.app.get(Clock).set(T0);
    const references = cardReferences(syntheticFeatureRows(20_000, 1));
    const upload = async (bytes: Uint8Array, card: Record<string, unknown>): Promise<string> => {
      const form = multipart([
        { name: 'card', value: JSON.stringify(card), filename: 'card.json' },
        { name: 'model', value: bytes, filename: 'model.onnx' },
      ]);
      const response = await api.request('POST', '/v1/models', form.body, { 'content-type': form.contentType });
      expect(response.status).toBe(201);
      return response.body.id;
    };
    // Two versions with the same training distribution: one sees a stream like it, the other a shifted one.
    steady = await upload(lightGbmStyle(), servedCard({ name: 'steady' }, references));
    shifted = await upload(xgboostStyle(), servedCard({ name: 'shifted' }, references));
    bare = await upload(parallelTreesStyle(), servedCard({ name: 'no references' }));
  });
  afterAll(() => api.close());

  /** 24 hourly batches of `perHour` decisions priced by `version`. */
  function feed(version: string, seed: number, shift: { priceMean?: number; weekend?: number }, perHour = 400): void {
    for (let hour = 0; hour < 24; hour++) {
      const rows = syntheticFeatureRows(perHour, seed * 1000 + hour, shift);
      const decisions: ObservedDecision[] = Array.from({ length: perHour }, (_, r) => ({ modelVersion: version, features: rows.subarray(r * WIDTH, (r + 1) * WIDTH) }));
      monitor.observe(decisions, T0 + hour * HOUR + 60_000);
    }
  }

  async function monitored(version: string): Promise<void> {
    for (let attempt = 0; attempt < 100 && !(await monitor.view(version, END)).monitored; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async function psiSeries(): Promise<Map<string, number>> {
    const text = (await api.request('GET', '/metrics')).text;
    const series = new Map<string, number>();
    for (const match of text.matchAll(/^dynaprice_feature_psi\{model_version="([^"]+)",feature="([^"]+)"\} (\S+)$/gm)) series.set(`${match[1]}/${match[2]}`, Number(match[3]));
    return series;
  }

  it('finds no drift in a stream drawn like the training data, and says so per feature', async () => {
    feed(steady, 2, {});
    await monitored(steady);
    expect((await api.request('POST', `/v1/models/${steady}/promote`, { reason: 'serve the steady model' })).status).toBe(200);
    await monitor.check(END);

    const drift = await api.request('GET', `/v1/models/${steady}/drift`);
    expect(drift.status).toBe(200);
    expect(drift.body).toMatchObject({ modelVersion: steady, monitored: true, status: 'ok', drifted: [], events: [], thresholds: { psiDrift: 0.2, psiWarn: 0.1, minRows: 500 } });
    expect(drift.body.window).toMatchObject({ hours: 24, rows: 9600 });
    expect(drift.body.features.map((f: { feature: string }) => f.feature)).toEqual(DEMAND_FEATURES.map((f) => f.name));
    for (const feature of drift.body.features) {
      expect(feature).toMatchObject({ status: 'ok', liveRows: 9600 });
      expect(feature.psi).toBeLessThan(0.05);
    }
    expect(drift.body.features.find((f: { feature: string }) => f.feature === 'price_ratio').ks).toBeLessThan(0.05);
    expect(drift.body.features.find((f: { feature: string }) => f.feature === 'day_of_week').ks).toBeNull();

    // The champion's PSI per feature is the metric.
    const series = await psiSeries();
    expect([...series.keys()].sort()).toEqual(DEMAND_FEATURES.map((f) => `${steady}/${f.name}`).sort());
    expect(series.get(`${steady}/price_ratio`)).toBeCloseTo(drift.body.features[0].psi, 6);
    expect((await api.request('GET', '/v1/models/retraining')).body).toEqual([]);
  });

  it('flags exactly the shifted features of a shifted stream, raises one event and queues one retraining run', async () => {
    feed(shifted, 3, { priceMean: 0.15, weekend: 0.3 });
    await monitored(shifted);
    await monitor.check(END);
    await monitor.check(END + 1);

    const drift = (await api.request('GET', `/v1/models/${shifted}/drift`)).body;
    expect(drift).toMatchObject({ status: 'drifted', drifted: ['price_ratio', 'day_of_week'], monitored: true });
    const byName = Object.fromEntries(drift.features.map((f: { feature: string }) => [f.feature, f]));
    expect(byName['price_ratio'].psi).toBeGreaterThan(0.2);
    expect(byName['price_ratio'].ks).toBeGreaterThan(0.3);
    expect(byName['day_of_week'].psi).toBeGreaterThan(0.2);
    expect(byName['stock_units'].status).toBe('ok');

    // One event for the episode (two checks), naming the drifted features, linked to the queued run.
    expect(drift.events).toHaveLength(1);
    expect(drift.events[0]).toMatchObject({ detectedAt: new Date(END).toISOString(), liveRows: 9600, retrainingRunId: expect.any(String) });
    expect(drift.events[0].drifted.map((f: { feature: string }) => f.feature)).toEqual(['price_ratio', 'day_of_week']);
    const runs = (await api.request('GET', '/v1/models/retraining')).body;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: drift.events[0].retrainingRunId, trigger: 'drift', status: 'queued', runKey: `drift:${shifted}:2026-03-01`, requestedBy: 'drift-monitor' });
    expect(runs[0].reason).toMatch(new RegExp(`^drift of ${shifted}: price_ratio \\(PSI \\d\\.\\d{3}\\), day_of_week \\(PSI \\d\\.\\d{3}\\)$`));
    const metrics = (await api.request('GET', '/metrics')).text;
    expect(metrics).toContain(`dynaprice_model_drift_events_total{model_version="${shifted}"} 1`);
  });

  it('publishes the new champion’s PSI once it is promoted', async () => {
    expect((await api.request('POST', `/v1/models/${shifted}/promote`, { reason: 'serve the shifted one' })).status).toBe(200);
    await monitor.check(END + 2);
    const series = await psiSeries();
    expect(series.get(`${shifted}/price_ratio`)).toBeGreaterThan(0.2);
    expect(series.get(`${shifted}/stock_units`)).toBeLessThan(0.05);
    expect([...series.keys()].some((key) => key.startsWith(steady))).toBe(false);
  });

  it('forgets the old hours: the shift leaves with the window and the episode ends', async () => {
    for (let hour = 24; hour < 48; hour++) {
      const rows = syntheticFeatureRows(400, 9000 + hour, {});
      monitor.observe(
        Array.from({ length: 400 }, (_, r) => ({ modelVersion: shifted, features: rows.subarray(r * WIDTH, (r + 1) * WIDTH) })),
        T0 + hour * HOUR + 60_000,
      );
    }
    await monitor.check(T0 + 47 * HOUR + 30 * 60_000);
    const drift = (await api.request('GET', `/v1/models/${shifted}/drift`)).body;
    expect(drift).toMatchObject({ status: 'ok', drifted: [] });
    expect(drift.events).toHaveLength(1);
  });

  it('says what it cannot judge: a card without reference distributions, too few rows', async () => {
    monitor.observe([{ modelVersion: bare, features: syntheticFeatureRows(1, 5) }], T0 + 48 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await api.request('GET', `/v1/models/${bare}/drift`)).body).toMatchObject({
      status: 'unavailable',
      monitored: false,
      detail: 'the model card has no reference distributions of the served features',
      features: [],
    });

    // Ten days on, the steady model's rows have left its window: 20 new ones are too few for a verdict.
    api.app.get(Clock).set(T0 + 10 * 24 * HOUR);
    const rows = syntheticFeatureRows(20, 6);
    monitor.observe(
      Array.from({ length: 20 }, (_, r) => ({ modelVersion: steady, features: rows.subarray(r * WIDTH, (r + 1) * WIDTH) })),
      T0 + 10 * 24 * HOUR,
    );
    const thin = (await api.request('GET', `/v1/models/${steady}/drift`)).body;
    expect(thin).toMatchObject({ status: 'insufficient-data', monitored: true, window: { rows: 20 } });
    expect(new Set(thin.features.map((f: { status: string }) => f.status))).toEqual(new Set(['insufficient-data']));
    expectProblem(await api.request('GET', '/v1/models/m-000000000000/drift'), 404);
  });

  it('records a retraining run that cannot train as failed, and leaves the aliases alone', async () => {
    const aliasesBefore = (await api.request('GET', '/v1/models/aliases')).body;
    const run = await api.app.get(RetrainingService).poll();
    expect(run).toMatchObject({ trigger: 'drift', status: 'failed', error: expect.stringMatching(/^training needs at least 500 store × SKU × day observations, found 0/) });
    expect((await api.request('GET', '/v1/models/aliases')).body).toEqual(aliasesBefore);
  });
});
