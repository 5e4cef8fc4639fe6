import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { databaseMode } from './data-source-options';

export interface HeldLock {
  release(): Promise<void>;
}

/** In embedded mode (one process, PGlite) a lock is a name in this set. */
const embeddedLocksHeld = new Set<string>();

/**
 * The cluster-wide lock of one scheduled job (`retraining`, `fairness-audit`), per database schema, or
 * null when another instance holds it. On PostgreSQL it is a session advisory lock on one dedicated
 * connection: released explicitly, or by the server if the instance holding it dies.
 */
export async function tryClusterLock(dataSource: DataSource, config: Pick<AppConfig, 'databaseUrl'>, job: string): Promise<HeldLock | null> {
  if (databaseMode(config) === 'embedded') {
    if (embeddedLocksHeld.has(job)) return null;
    embeddedLocksHeld.add(job);
    return { release: () => Promise.resolve(void embeddedLocksHeld.delete(job)) };
  }
  const key = `dynaprice:${job}:`;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1 || current_schema())) AS locked`, [key])) as Array<{ locked: boolean }>;
    if (!row?.locked) {
      await runner.release();
      return null;
    }
  } catch (error) {
    await runner.release();
    throw error;
  }
  return {
    release: async () => {
      try {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, [key]);
      } finally {
        await runner.release();
      }
    },
  };
}
