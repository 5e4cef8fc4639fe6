import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { serializedPGliteDriver } from './serialized-pglite-pool';

export type DatabaseMode = 'embedded' | 'postgres';

export function databaseMode(config: Pick<AppConfig, 'databaseUrl'>): DatabaseMode {
  return config.databaseUrl ? 'postgres' : 'embedded';
}

/** TypeORM options for either mode; schema changes only ever come from migrations. */
export function buildDataSourceOptions(config: Pick<AppConfig, 'databaseUrl' | 'databaseSchema' | 'dataDir'>): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    installExtensions: false,
    schema: config.databaseSchema,
    logging: false,
  };
  if (config.databaseUrl) {
    return {
      ...common,
      url: config.databaseUrl,
      applicationName: 'dynaprice-api',
      connectTimeoutMS: 5_000,
      poolSize: 10,
      extra: {
        statement_timeout: 30_000,
        idle_in_transaction_session_timeout: 60_000,
        // Unqualified SQL in migrations lands in the configured schema.
        options: `-c search_path=${config.databaseSchema}`,
      },
    };
  }
  if (config.dataDir.startsWith('memory://')) return { ...common, driver: serializedPGliteDriver({}) };
  const dataDir = join(config.dataDir, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  return { ...common, driver: serializedPGliteDriver({ dataDir }) };
}
