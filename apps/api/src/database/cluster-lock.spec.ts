import type { DataSource } from 'typeorm';
import { tryClusterLock } from './cluster-lock';

describe(tryClusterLock.name, () => {
  // Embedded mode never touches the database: one process holds every lock.
  const dataSource = {} as DataSource;
  const embedded = { databaseUrl: null };

  it('in embedded mode lets one holder have a job at a time, each job on its own', async () => {
    const retraining = await tryClusterLock(dataSource, embedded, 'retraining');
    expect(retraining).not.toBeNull();
    expect(await tryClusterLock(dataSource, embedded, 'retraining')).toBeNull();
    const audit = await tryClusterLock(dataSource, embedded, 'fairness-audit');
    expect(audit).not.toBeNull();

    await retraining?.release();
    const again = await tryClusterLock(dataSource, embedded, 'retraining');
    expect(again).not.toBeNull();
    await again?.release();
    await audit?.release();
  });
});
