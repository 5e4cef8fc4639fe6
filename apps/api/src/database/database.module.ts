import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { openDatabase } from './database-bootstrap';

/** The database of either mode, migrated before the first request. */
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
    };
  }
}
