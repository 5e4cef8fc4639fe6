import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { SalesModule } from '../sales/sales.module';
import { ActiveExperiments } from './active-experiments';

/** The in-memory assignment of running experiments that the pricing hot path reads (no controllers). */
@Module({
  imports: [ModelsModule, SalesModule],
  providers: [ActiveExperiments],
  exports: [ActiveExperiments],
})
export class ExperimentsStateModule {}
