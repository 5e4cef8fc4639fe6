import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SalesModule } from '../sales/sales.module';
import { DemoSeedService } from './demo-seed.service';

/** Creates the demo retailer on an empty database when DEMO_SEED is on (the embedded default). */
@Module({
  imports: [SalesModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class SeedModule implements OnApplicationBootstrap {
  constructor(
    private readonly seed: DemoSeedService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) await this.seed.seedIfEmpty();
  }
}
