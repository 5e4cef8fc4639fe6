import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { PricingModule } from '../pricing/pricing.module';
import { ExplanationsController } from './explanations.controller';
import { ExplanationsService } from './explanations.service';
import { FairnessAuditsService } from './fairness-audits.service';
import { FairnessController } from './fairness.controller';
import { FairnessScheduleService } from './fairness-schedule.service';
import { FairnessStatsRunner } from './fairness-stats-runner';

/**
 * Decision explanations (TreeSHAP, runner-ups, what bound the price) and fairness audits: on demand, on a
 * daily schedule run once across instances, stored with inputs and results, feeding the fairness metrics.
 */
@Module({
  imports: [PricingModule, ModelsModule],
  controllers: [ExplanationsController, FairnessController],
  providers: [
    ExplanationsService,
    FairnessAuditsService,
    FairnessScheduleService,
    { provide: FairnessStatsRunner, useFactory: () => new FairnessStatsRunner() },
  ],
  exports: [FairnessAuditsService, FairnessScheduleService, ExplanationsService],
})
export class FairnessModule {}
