import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
// Tokens first: the Clock (imported next) injects APP_CONFIG through this module.
import { APP_CONFIG, ROOT_LOGGER } from './config.tokens';
import { Clock } from '../common/clock';
import type { AppConfig } from './app-config';

export { APP_CONFIG, ROOT_LOGGER };

/** Makes the validated configuration, the root logger and the clock injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        Clock,
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, Clock],
    };
  }
}
