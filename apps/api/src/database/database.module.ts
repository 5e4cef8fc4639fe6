import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { openDatabase } from './database-bootstrap';
import { PartitionManager } from './partitions';

/** The database of either mode, migrated before the first request. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...buildDataSourceOptions(config), retryAttempts: config.databaseUrl ? 5 : 0, retryDelay: 2_000 }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('database options missing');
            return openDatabase(options);
          },
        }),
      ],
      providers: [PartitionManager],
      exports: [PartitionManager],
    };
  }
}
