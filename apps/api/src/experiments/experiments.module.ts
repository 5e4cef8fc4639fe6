import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { PricingModule } from '../pricing/pricing.module';
import { SalesModule } from '../sales/sales.module';
import { ExperimentResultsService } from './experiment-results.service';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsService } from './experiments.service';
import { ExperimentsStateModule } from './experiments-state.module';
import { GuardrailMonitor } from './guardrail-monitor';

/** A/B experiments: definitions and lifecycle, results, guardrails with automatic fallback. */
@Module({
  imports: [ExperimentsStateModule, PricingModule, ModelsModule, SalesModule],
  controllers: [ExperimentsController],
  providers: [ExperimentsService, ExperimentResultsService, GuardrailMonitor],
  exports: [ExperimentsService, ExperimentResultsService],
})
export class ExperimentsModule {}
