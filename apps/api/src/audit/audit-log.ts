import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DurableSpool } from '../database/durable-spool';
import { flushChunkRows, PartitionManager, yieldToEventLoop } from '../database/partitions';

/** One audit_log row, in the journal's JSON form. */
export interface AuditRecord {
  id: string;
  at: string;
  requestId: string;
  caller: string;
  callerKind: string;
  callerId: string | null;
  role: string | null;
  method: string;
  route: string;
  status: number;
  detail: string | null;
  payloadHash: string | null;
  sourceIp: string;
  durationMs: number;
  decisionIds: string[] | null;
  storeIds: string[] | null;
  skuCodes: string[] | null;
}


/**
 * The audit trail's writer: each call's record goes to a local journal segment when the answer has
 * left (one file write, off the response path), then into audit_log in batches — the decision
 * journal's DurableSpool, so records survive a database outage and a restart.
 */
@Injectable()
export class AuditLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditLog.name);
  private readonly spool: DurableSpool<AuditRecord>;
  private readonly chunkRows: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partitions: PartitionManager,
  ) {
    this.chunkRows = flushChunkRows(config.databaseUrl === null);
    this.spool = new DurableSpool<AuditRecord>({
      dir: join(config.spoolDir, 'audit'),
      name: 'audit',
      logger: this.logger,
      messages: {
        waiting: 'audit records kept in the journal until the database answers',
        caughtUp: 'audit journal replayed into the database',
        recovering: 'replaying the audit journal left by an earlier process',
      },
      insert: (records) => this.insert(records),
    });
  }

  onModuleInit(): void {
    this.spool.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.spool.stop();
  }

  record(record: AuditRecord): void {
    this.spool.append([record]);
  }

  /** Writes everything recorded so far (the audit query calls it first, so a reader sees its own calls). */
  flush(): Promise<void> {
    return this.spool.flush();
  }

  get backlog(): number {
    return this.spool.backlog;
  }

  get lastFlushError(): string | null {
    return this.spool.lastFlushError;
  }

  private async insert(records: readonly AuditRecord[]): Promise<void> {
    await this.partitions.ensure('audit_log', records.map((record) => Date.parse(record.at)));
    try {
      for (let start = 0; start < records.length; start += this.chunkRows) {
        if (start > 0) await yieldToEventLoop();
        const part = records.slice(start, start + this.chunkRows);
        const array = (values: Array<readonly string[] | null>): Array<string | null> => values.map((value) => (value ? `{${value.map((item) => `"${item}"`).join(',')}}` : null));
        await this.dataSource.query(
          `INSERT INTO audit_log (id, at, request_id, caller, caller_kind, caller_id, role, method, route, status, detail, payload_hash, source_ip,
             duration_ms, decision_ids, store_ids, sku_codes)
           SELECT id, at, request_id, caller, caller_kind, caller_id, role, method, route, status, detail, payload_hash, source_ip,
             duration_ms, decision_ids::uuid[], store_ids::varchar[], sku_codes::varchar[]
           FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[],
             $9::varchar[], $10::smallint[], $11::varchar[], $12::varchar[], $13::varchar[], $14::real[], $15::text[], $16::text[], $17::text[])
             AS t(id, at, request_id, caller, caller_kind, caller_id, role, method, route, status, detail, payload_hash, source_ip,
               duration_ms, decision_ids, store_ids, sku_codes)
           ON CONFLICT (id, at) DO NOTHING`,
          [
            part.map((r) => r.id),
            part.map((r) => r.at),
            part.map((r) => r.requestId),
            part.map((r) => r.caller),
            part.map((r) => r.callerKind),
            part.map((r) => r.callerId),
            part.map((r) => r.role),
            part.map((r) => r.method),
            part.map((r) => r.route),
            part.map((r) => r.status),
            part.map((r) => r.detail),
            part.map((r) => r.payloadHash),
            part.map((r) => r.sourceIp),
            part.map((r) => r.durationMs),
            array(part.map((r) => r.decisionIds)),
            array(part.map((r) => r.storeIds)),
            array(part.map((r) => r.skuCodes)),
          ],
        );
      }
    } catch (error) {
      // A day partition dropped under us (retention elsewhere, tests rolling back): create it again next time.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23514') this.partitions.reset('audit_log');
      throw error;
    }
  }
}
