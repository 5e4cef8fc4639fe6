import { Module } from '@nestjs/common';
import { CustomerHasher } from './customer-hasher';

/** Sales and waste reported by POS (ingestion endpoints arrive with experiments); customer-id hashing. */
@Module({
  providers: [CustomerHasher],
  exports: [CustomerHasher],
})
export class SalesModule {}
