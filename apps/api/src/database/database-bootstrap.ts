import { DataSource, type DataSourceOptions } from 'typeorm';

const MIGRATION_LOCK_KEY = 'dynaprice:migrations';

/**
 * Connects, creates the schema if needed and applies pending migrations. On a PostgreSQL server the
 * migrations run under an advisory lock, so several instances starting together apply them once.
 */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    const schema = (options as { schema?: string }).schema ?? 'public';
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    if (options.driver) {
      await dataSource.runMigrations({ transaction: 'each' });
      return dataSource;
    }
    const lockRunner = dataSource.createQueryRunner();
    try {
      await lockRunner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lockRunner.release();
    }
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/** The SQL that would bring the schema in line with the entities: empty when migrations and entities agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return { up: log.upQueries.map((query) => query.query), down: log.downQueries.map((query) => query.query) };
}
