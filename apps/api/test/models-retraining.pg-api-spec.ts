import { dailyInstantAtOrBefore } from '@dynaprice/kernel';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { Clock } from '../src/common/clock';
import { ServedModels } from '../src/models/served-models';
import { RetrainingService, type RetrainingRun } from '../src/models/retraining.service';
import { SMALL_DEMO, startSecondInstance, startTestApp, type TestApp } from './support/test-app';

const DAY = 86_400_000;
/** The next nightly instant (02:00 UTC); later tests stay within that day so the schedule does not fire again. */
const NIGHT = dailyInstantAtOrBefore(Date.now() + DAY, 2 * 60);
const RETRAINING = { RETRAIN_POLL_MS: '50', DRIFT_CHECK_INTERVAL_MS: '3600000' };

/** Two API instances on one PostgreSQL schema: each polls the retraining queue, only one trains. */
describe('retraining with two API instances on one database (postgres)', () => {
  let first: TestApp;
  let second: NestFastifyApplication;
  let secondLogs: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    first = await startTestApp({ ...SMALL_DEMO, ...RETRAINING });
    ({ app: second, logs: secondLogs } = await startSecondInstance(first, RETRAINING));
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const instances = (): RetrainingService[] => [first.app.get(RetrainingService), second.get(RetrainingService)];
  const started = (): number => [...first.logs, ...secondLogs].filter((entry) => entry['msg'] === 'retraining started').length;

  async function runs(): Promise<RetrainingRun[]> {
    return (await first.request('GET', '/v1/models/retraining')).body as RetrainingRun[];
  }

  async function settled(): Promise<RetrainingRun[]> {
    const deadline = Date.now() + 120_000;
    let list = await runs();
    while (list.some((run) => run.status === 'queued' || run.status === 'running') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      list = await runs();
    }
    return list;
  }

  it('trains once for a night both instances schedule, and both then serve the new challenger', async () => {
    const night = NIGHT;
    const day = new Date(night).toISOString().slice(0, 10);
    const versions = (await first.request('GET', '/v1/models?limit=1')).body.total as number;
    const champion = (await first.request('GET', '/v1/models/aliases')).body.find((a: { alias: string }) => a.alias === 'champion').modelVersionId;
    for (const app of [first.app, second]) app.get(Clock).set(night - 60_000);
    await Promise.all(instances().map((service) => service.tickSchedule(night - 60_000)));
    for (const app of [first.app, second]) app.get(Clock).set(night + 60_000);
    await Promise.all(instances().map((service) => service.tickSchedule(night + 60_000)));
    await Promise.all(instances().map((service) => service.poll()));

    const list = await settled();
    expect(list.map((run) => [run.runKey, run.status])).toEqual([[`nightly:${day}`, 'succeeded']]);
    const [run] = list as [RetrainingRun];
    expect(instances().map((service) => service.instance)).toContain(run.instance);
    expect(started()).toBe(1);
    expect((await first.request('GET', '/v1/models?limit=1')).body.total).toBe(versions + 1);
    const history = (await first.request('GET', '/v1/models/aliases/history')).body as Array<{ actor: string; alias: string; toVersionId: string }>;
    expect(history.filter((event) => event.actor === 'retraining')).toEqual([expect.objectContaining({ alias: 'challenger', toVersionId: run.modelVersionId })]);
    const aliases = Object.fromEntries((await first.request('GET', '/v1/models/aliases')).body.map((a: { alias: string; modelVersionId: string }) => [a.alias, a.modelVersionId]));
    expect(aliases).toEqual({ champion, challenger: run.modelVersionId });
    // The instance that trained serves it at once; the other within its alias poll (forced here).
    await Promise.all([first.app.get(ServedModels).sync(), second.get(ServedModels).sync()]);
    expect([first.app.get(ServedModels).get('challenger')?.version, second.get(ServedModels).get('challenger')?.version]).toEqual([run.modelVersionId, run.modelVersionId]);
  }, 180_000);

  it('makes one run of a drift trigger both instances raise', async () => {
    const raised = await Promise.all(instances().map((service) => service.enqueue('drift', 'drift:m-0123456789ab:2026-03-01', 'drift seen by both', 'drift-monitor')));
    expect(raised.map((result) => result.created).sort()).toEqual([false, true]);
    expect(raised[0]?.run.id).toBe(raised[1]?.run.id);
    const list = await settled();
    expect(list.filter((run) => run.trigger === 'drift').map((run) => run.status)).toEqual(['succeeded']);
    expect(started()).toBe(2);
  }, 180_000);

  it('leaves the queue alone while another session holds the retraining lock, and runs it once the lock is free', async () => {
    const holder = new Client({ connectionString: first.config.databaseUrl ?? '', connectionTimeoutMillis: 5_000 });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('dynaprice:retraining:' || $1))`, [first.config.databaseSchema]);
      for (const app of [first.app, second]) app.get(Clock).set(NIGHT + 3 * 3_600_000);
      const queued = await first.request('POST', '/v1/models/retraining', { reason: 'while another instance trains' });
      expect(queued.status).toBe(202);
      expect(await Promise.all(instances().map((service) => service.poll()))).toEqual([null, null]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await first.request('GET', `/v1/models/retraining/${queued.body.id}`)).body.status).toBe('queued');
      expect(started()).toBe(2);
      await holder.query(`SELECT pg_advisory_unlock(hashtext('dynaprice:retraining:' || $1))`, [first.config.databaseSchema]);
      const list = await settled();
      expect(list.find((run) => run.id === queued.body.id)?.status).toBe('succeeded');
      expect(started()).toBe(3);
    } finally {
      await holder.end();
    }
  }, 180_000);
});
