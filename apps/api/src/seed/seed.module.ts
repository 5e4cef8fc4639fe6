import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { DemoCredentials } from '../auth/demo-credentials';
import { APP_CONFIG } from '../config/config.module';
import { CatalogChanges } from '../catalog/catalog-changes';
import { CatalogModule } from '../catalog/catalog.module';
import { ModelsModule } from '../models/models.module';
import { ModelRegistry } from '../models/model-registry.service';
import { SalesModule } from '../sales/sales.module';
import { DemoSeedService } from './demo-seed.service';

/** Creates the demo retailer and its default model on an empty database when DEMO_SEED is on (the embedded default). */
@Module({
  imports: [SalesModule, ModelsModule, CatalogModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class SeedModule implements OnApplicationBootstrap {
  constructor(
    private readonly seed: DemoSeedService,
    private readonly models: ModelRegistry,
    private readonly changes: CatalogChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: DemoCredentials,
  ) {}

  /** First start of the demo: the retailer, then a default model trained on its history. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    // Embedded demo only: one user and one API key per role (never with DATABASE_URL).
    await this.credentials.ensure();
    if (await this.seed.seedIfEmpty()) {
      for (const table of ['stores', 'skus', 'inventory', 'guardrails'] as const) await this.changes.changed(table);
    }
    await this.models.ensureChampion();
  }
}
