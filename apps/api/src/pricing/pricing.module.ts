import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ExperimentsStateModule } from '../experiments/experiments-state.module';
import { ModelsModule } from '../models/models.module';
import { SalesModule } from '../sales/sales.module';
import { DecisionJournal } from './decision-journal';
import { DecisionsService } from './decisions.service';
import { PricingController } from './pricing.controller';
import { PricingMetrics } from './pricing-metrics';
import { PricingService } from './pricing.service';
import { PricingState } from './pricing-state';
import { VariantResolver } from './variant-resolver';

/** The hot path: price requests, store repricing, and the decision audit trail. */
@Module({
  imports: [CatalogModule, ModelsModule, SalesModule, ExperimentsStateModule],
  controllers: [PricingController],
  providers: [PricingState, DecisionJournal, DecisionsService, PricingMetrics, PricingService, VariantResolver],
  exports: [PricingService, PricingState, DecisionsService, DecisionJournal],
})
export class PricingModule {}
