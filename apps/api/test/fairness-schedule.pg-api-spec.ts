import { dailyInstantAtOrBefore } from '@dynaprice/kernel';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FairnessScheduleService } from '../src/fairness/fairness-schedule.service';
import { startSecondInstance, startTestApp, type TestApp } from './support/test-app';

/** Two API instances on one PostgreSQL schema: the daily audit runs once (advisory lock + run key). */
describe('the daily fairness audit across instances (postgres)', () => {
  let first: TestApp;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    first = await startTestApp();
    ({ app: second } = await startSecondInstance(first));
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('runs once when both instances cross the scheduled instant together, and follows the schedule set through either', async () => {
    expect((await first.request('PUT', '/v1/fairness/schedule', { at: '02:15', windowDays: 1, bootstrapResamples: 50 })).status).toBe(200);
    const instant = dailyInstantAtOrBefore(Date.now() + 86_400_000, 2 * 60 + 15);
    const schedules = [first.app.get(FairnessScheduleService), second.get(FairnessScheduleService)];
    for (const schedule of schedules) expect(await schedule.tick(instant - 60_000)).toBeNull();
    const results = await Promise.all(schedules.map((schedule) => schedule.tick(instant + 60_000)));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    const dataSource = first.app.get<DataSource>(getDataSourceToken());
    const runs = (await dataSource.query(`SELECT run_key, window_from, window_to FROM fairness_audits WHERE trigger = 'schedule'`)) as Array<{ run_key: string; window_from: Date; window_to: Date }>;
    expect(runs.map((run) => run.run_key)).toEqual([`schedule:${new Date(instant).toISOString()}`]);
    expect(new Date(runs[0]?.window_to ?? 0).getTime() - new Date(runs[0]?.window_from ?? 0).getTime()).toBe(86_400_000);
    // Either instance reads the stored audit.
    const listed = await second.inject({ method: 'GET', url: '/v1/fairness/audits', headers: { 'x-api-key': await first.apiKey('admin') } });
    expect(JSON.parse(listed.body).items.map((item: { trigger: string }) => item.trigger)).toEqual(['schedule']);
  });
});
