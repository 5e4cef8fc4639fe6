import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { PricingModule } from '../pricing/pricing.module';
import { RoiController } from './roi.controller';
import { RoiService } from './roi.service';

/** ROI and cost accounting for finance. */
@Module({
  imports: [ExperimentsModule, PricingModule],
  controllers: [RoiController],
  providers: [RoiService],
})
export class RoiModule {}
