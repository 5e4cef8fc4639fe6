import { Module } from '@nestjs/common';
import { ExperimentsStateModule } from '../experiments/experiments-state.module';
import { PricingModule } from '../pricing/pricing.module';
import { SalesController } from './sales.controller';
import { SalesIngestionService } from './sales-ingestion.service';
import { SalesModule } from './sales.module';

/**
 * `POST /v1/sales` and `POST /v1/waste`. Separate from SalesModule (the customer-id hasher), which the
 * pricing module itself imports: ingestion reads pricing's in-memory catalog and decision journal.
 */
@Module({
  imports: [SalesModule, PricingModule, ExperimentsStateModule],
  controllers: [SalesController],
  providers: [SalesIngestionService],
})
export class SalesIngestionModule {}
