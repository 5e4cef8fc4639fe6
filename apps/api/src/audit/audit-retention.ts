import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MS_PER_DAY } from '@dynaprice/kernel';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PartitionManager } from '../database/partitions';

/** Retention: at start and then daily, the audit trail's day partitions older than AUDIT_RETENTION_DAYS are dropped. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditRetention.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partitions: PartitionManager,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.purge();
    this.timer = setInterval(() => void this.purge(), MS_PER_DAY);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Drops whole days that ended more than AUDIT_RETENTION_DAYS ago; returns their partition names. */
  async purge(now = Date.now()): Promise<string[]> {
    try {
      const dropped = await this.partitions.dropBefore('audit_log', now - this.config.security.auditRetentionDays * MS_PER_DAY);
      if (dropped.length > 0) this.logger.log({ msg: 'audit days past retention dropped', partitions: dropped, retentionDays: this.config.security.auditRetentionDays });
      return dropped;
    } catch (error) {
      this.logger.warn({ msg: 'audit retention purge failed; next attempt tomorrow', error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }
}
