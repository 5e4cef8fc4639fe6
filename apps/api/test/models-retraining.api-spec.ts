import { dailyInstantAtOrBefore } from '@dynaprice/kernel';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { ServedModels } from '../src/models/served-models';
import { RetrainingService, type RetrainingRun } from '../src/models/retraining.service';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The next nightly instant (02:00 UTC); later tests stay within that day so the schedule does not fire again. */
const NIGHT = dailyInstantAtOrBefore(Date.now() + DAY, 2 * 60);

describe(`retraining (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let retraining: RetrainingService;
  let seeded: string;

  beforeAll(async () => {
    api = await startTestApp({ ...SMALL_DEMO, RETRAIN_POLL_MS: '100', DRIFT_CHECK_INTERVAL_MS: '3600000' });
    retraining = api.app.get(RetrainingService);
    seeded = (await api.request('GET', '/v1/models/aliases')).body.find((a: { alias: string }) => a.alias === 'champion').modelVersionId;
  });
  afterAll(() => api.close());

  async function finished(id: string): Promise<RetrainingRun> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const run = (await api.request('GET', `/v1/models/retraining/${id}`)).body as RetrainingRun;
      if (run.status === 'succeeded' || run.status === 'failed' || Date.now() > deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function versionCount(): Promise<number> {
    return (await api.request('GET', '/v1/models?limit=1')).body.total as number;
  }

  it('queues one run when business time passes the nightly hour, and the new version enters as challenger, never champion', async () => {
    const clock = api.app.get(Clock);
    const night = NIGHT;
    const day = new Date(night).toISOString().slice(0, 10);
    const versions = await versionCount();
    clock.set(night - 60_000);
    await retraining.tickSchedule(night - 60_000);
    expect((await api.request('GET', '/v1/models/retraining')).body).toEqual([]);
    clock.set(night + 60_000);
    await retraining.tickSchedule(night + 60_000);
    await retraining.tickSchedule(night + 2 * HOUR);

    const runs = (await api.request('GET', '/v1/models/retraining')).body as RetrainingRun[];
    expect(runs.map((run) => [run.trigger, run.runKey, run.requestedBy])).toEqual([['nightly', `nightly:${day}`, 'schedule']]);
    const run = await finished(runs[0]!.id);
    expect(run).toMatchObject({ status: 'succeeded', error: null, instance: retraining.instance, modelVersionId: expect.stringMatching(/^m-[0-9a-f]{12}$/) });
    expect(run.detail).toMatchObject({ rows: expect.any(Number), challenger: run.modelVersionId, validation: { rmse: expect.any(Number) } });
    expect(await versionCount()).toBe(versions + 1);

    const aliases = Object.fromEntries((await api.request('GET', '/v1/models/aliases')).body.map((a: { alias: string; modelVersionId: string }) => [a.alias, a.modelVersionId]));
    expect(aliases).toEqual({ champion: seeded, challenger: run.modelVersionId });
    expect(api.app.get(ServedModels).get('challenger')?.version).toBe(run.modelVersionId);
    const [event] = (await api.request('GET', '/v1/models/aliases/history?limit=1')).body;
    expect(event).toMatchObject({ alias: 'challenger', action: 'promote', actor: 'retraining', toVersionId: run.modelVersionId });
    expect(event.reason).toBe(`nightly retraining (run ${run.id}): nightly retraining of ${day}`);

    const version = (await api.request('GET', `/v1/models/${run.modelVersionId}`)).body;
    expect(version).toMatchObject({ source: 'trainer', createdBy: 'retraining:nightly', aliases: ['challenger'], trainingData: { rows: run.detail?.['rows'] } });
    expect(version.validation).toMatchObject({ rmse: expect.any(Number), mae: expect.any(Number) });

    // The same night again is the same run.
    const again = await retraining.enqueue('nightly', `nightly:${day}`, 'again', 'schedule');
    expect(again).toMatchObject({ created: false, run: { id: run.id, status: 'succeeded' } });
  }, 120_000);

  it('retrains on request, recorded with who and why', async () => {
    expect(expectProblem(await api.request('POST', '/v1/models/retraining', {}), 400).field).toBe('reason');
    expectProblem(await api.as('merchandiser').request('POST', '/v1/models/retraining', { reason: 'not my call' }), 403);
    api.app.get(Clock).set(NIGHT + 3 * HOUR);
    const queued = await api.request('POST', '/v1/models/retraining', { reason: 'three new stores onboarded' });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ trigger: 'manual', status: 'queued', reason: 'three new stores onboarded', runKey: `manual:${queued.body.id}` });
    const run = await finished(queued.body.id);
    expect(run.status).toBe('succeeded');
    const aliases = Object.fromEntries((await api.request('GET', '/v1/models/aliases')).body.map((a: { alias: string; modelVersionId: string }) => [a.alias, a.modelVersionId]));
    expect(aliases).toEqual({ champion: seeded, challenger: run.modelVersionId });
  }, 120_000);

  it('fails a run left "running" by a stopped instance once another takes the lock, and runs what is queued', async () => {
    const db = api.app.get<DataSource>(getDataSourceToken());
    const ghost = '00000000-0000-7000-8000-000000000001';
    await db.query(`INSERT INTO model_retraining_runs (id, run_key, trigger, status, reason, requested_by, started_at, instance) VALUES ($1, 'manual:ghost', 'manual', 'running', 'left over', 'spec', now(), 'gone-host:1:abc')`, [
      ghost,
    ]);
    api.app.get(Clock).set(NIGHT + 4 * HOUR);
    const queued = await api.request('POST', '/v1/models/retraining', { reason: 'after a crash' });
    const run = await finished(queued.body.id);
    expect(run.status).toBe('succeeded');
    expect((await api.request('GET', `/v1/models/retraining/${ghost}`)).body).toMatchObject({ status: 'failed', error: 'abandoned: the instance running it stopped' });
  }, 120_000);
});

// Its own app (after the first one is closed: in-memory PGlite is one database per process).
describe(`retraining on a simulated clock (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ ...SMALL_DEMO, SIMULATED_CLOCK: 'true', RETRAIN_NIGHTLY: 'true', RETRAIN_POLL_MS: '3600000', DRIFT_CHECK_INTERVAL_MS: '3600000' });
  });
  afterAll(() => api.close());

  it('trains on the simulated night the clock passes, before the jump returns', async () => {
    const clock = api.app.get(Clock);
    const night = dailyInstantAtOrBefore(clock.now() + DAY, 2 * 60);
    await clock.advance(night - 60_000);
    expect((await api.request('GET', '/v1/models/retraining')).body).toEqual([]);
    await clock.advance(night + 60_000);
    const runs = (await api.request('GET', '/v1/models/retraining')).body as RetrainingRun[];
    expect(runs.map((run) => [run.runKey, run.status])).toEqual([[`nightly:${new Date(night).toISOString().slice(0, 10)}`, 'succeeded']]);
    const aliases = (await api.request('GET', '/v1/models/aliases')).body as Array<{ alias: string; modelVersionId: string }>;
    expect(aliases.find((a) => a.alias === 'challenger')?.modelVersionId).toBe(runs[0]?.modelVersionId);
  }, 120_000);
});
