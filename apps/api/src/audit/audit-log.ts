import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isRecordRefused } from '../database/connection-errors';
import { DurableSpool, type SpoolBatch } from '../database/durable-spool';
import { flushChunkRows, PartitionManager } from '../database/partitions';

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
  /** A priced answer's request record (price_requests), which holds the decision ids it carried. */
  priceRequestId: string | null;
  priceRequestedAt: string | null;
  storeIds: string[] | null;
  skuCodes: string[] | null;
}

/**
 * One statement per batch: the journal's JSON lines as one array, rows already present ignored (a
 * replay). `decisionIds` is read for journal lines written before the audit record pointed at the
 * request record instead (AuditLinksPriceRequest migration): a journal left on disk by the earlier
 * version still goes in whole.
 */
const INSERT_AUDIT_SQL = `
  INSERT INTO audit_log (id, at, request_id, caller, caller_kind, caller_id, role, method, route, status, detail, payload_hash, source_ip,
    duration_ms, price_request_id, price_requested_at, decision_ids, store_ids, sku_codes)
  SELECT r.id, r.at, r."requestId", r.caller, r."callerKind", r."callerId", r.role, r.method, r.route, r.status, r.detail, r."payloadHash",
    r."sourceIp", r."durationMs", r."priceRequestId", r."priceRequestedAt", r."decisionIds", r."storeIds", r."skuCodes"
  FROM json_to_recordset($1::json) AS r(id uuid, at timestamptz, "requestId" varchar, caller varchar, "callerKind" varchar, "callerId" varchar,
    role varchar, method varchar, route varchar, status smallint, detail varchar, "payloadHash" varchar, "sourceIp" varchar, "durationMs" real,
    "priceRequestId" uuid, "priceRequestedAt" timestamptz, "decisionIds" uuid[], "storeIds" varchar[], "skuCodes" varchar[])
  ON CONFLICT (id, at) DO NOTHING`;

/**
 * The audit trail's writer: each call's record goes to a local journal segment when the answer has
 * left (one file write, off the response path), then into audit_log in batches — the decision
 * journal's DurableSpool, so records survive a database outage and a restart.
 */
@Injectable()
export class AuditLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditLog.name);
  private readonly spool: DurableSpool<AuditRecord>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partitions: PartitionManager,
  ) {
    this.spool = new DurableSpool<AuditRecord>({
      dir: join(config.spoolDir, 'audit'),
      name: 'audit',
      logger: this.logger,
      messages: {
        waiting: 'audit records kept in the journal until the database answers',
        caughtUp: 'audit journal replayed into the database',
        recovering: 'replaying the audit journal left by an earlier process',
        setAside: 'the database refused an audit record; set aside, the rest of the audit journal goes on',
      },
      maxBatchLines: flushChunkRows(config.databaseUrl === null),
      timeOf: (record) => Date.parse(record.at),
      insert: (batch) => this.insert(batch),
      isRefused: isRecordRefused,
    });
  }

  onModuleInit(): void {
    this.spool.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.spool.stop();
  }

  /** Queues the record; its write to the journal file completes off the event loop (a failure is logged). */
  record(record: AuditRecord): void {
    this.spool.append([record]).written.catch((error: unknown) => {
      this.logger.error({ msg: 'audit record not written to the journal', requestId: record.requestId, error: error instanceof Error ? error.message : String(error) });
    });
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

  /** Records the database refused, set aside on disk for an operator (see the runbook). */
  rejectedRecords(): number {
    return this.spool.rejectedRecords();
  }

  private async insert(batch: SpoolBatch): Promise<void> {
    await this.partitions.ensure('audit_log', batch.times);
    try {
      await this.dataSource.query(INSERT_AUDIT_SQL, [`[${batch.lines.join(',')}]`]);
    } catch (error) {
      // A day partition dropped under us (retention elsewhere, tests rolling back): create it again next time.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23514') this.partitions.reset('audit_log');
      throw error;
    }
  }
}
