import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { ExperimentationModule } from './experiments/experimentation.module';
import { FairnessModule } from './fairness/fairness.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { PricingModule } from './pricing/pricing.module';
import { SeedModule } from './seed/seed.module';
import { SimulationModule } from './simulation/simulation.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, logger), DatabaseModule.forRoot(config), AuthModule, AuditModule, MonitoringModule, CatalogModule, SeedModule, PricingModule, ExperimentationModule, FairnessModule, SimulationModule, ConsoleModule.forRoot(config)],
    };
  }
}
