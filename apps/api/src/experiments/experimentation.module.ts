import { Module } from '@nestjs/common';
import { RoiModule } from '../roi/roi.module';
import { SalesIngestionModule } from '../sales/sales-ingestion.module';
import { ExperimentsModule } from './experiments.module';

/** What the A/B experiments stand on, in one module for the app: experiments, sales and waste ingestion, ROI. */
@Module({
  imports: [ExperimentsModule, SalesIngestionModule, RoiModule],
})
export class ExperimentationModule {}
