import { Module } from '@nestjs/common';
import { PricingModule } from '../pricing/pricing.module';
import { AuditLog } from './audit-log';
import { AuditRetention } from './audit-retention';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** The audit trail of every call: written by the onResponse hook (audit-trail.ts), read at /v1/audit. */
@Module({
  imports: [PricingModule],
  controllers: [AuditController],
  providers: [AuditLog, AuditService, AuditRetention],
  exports: [AuditLog],
})
export class AuditModule {}
