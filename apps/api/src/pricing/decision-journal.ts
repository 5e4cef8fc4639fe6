import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DurableSpool } from '../database/durable-spool';
import { flushChunkRows, PartitionManager, yieldToEventLoop } from '../database/partitions';

/** A price decision as stored (price_decisions), in the journal's JSON form. */
export interface DecisionRecord {
  id: string;
  decidedAt: string;
  storeId: string;
  skuCode: string;
  price: number;
  currency: string;
  listPrice: number;
  unitCost: number;
  variant: string;
  experimentId: string | null;
  modelVersion: string | null;
  reason: string;
  boundBy: string | null;
  expectedUnits: number;
  expectedMargin: number;
  validUntil: string;
  storeDay: string;
  daysToExpiry: number;
  stockUnits: number;
  features: number[] | null;
  detail: Record<string, unknown> | null;
  fingerprint: string;
  requestId: string;
  caller: string;
}

/** A price request (price_requests): who asked and which decisions it was served. */
export interface RequestRecord {
  id: string;
  requestedAt: string;
  requestId: string;
  caller: string;
  storeId: string;
  channel: string | null;
  customerHash: string | null;
  segment: string | null;
  decisionIds: string[];
}

type JournalEntry = { kind: 'decision'; record: DecisionRecord } | { kind: 'request'; record: RequestRecord };


/**
 * Decisions are durable before they are answered: each request's records are appended to a local
 * journal segment (one write, survives a killed process) and reach the database in batches, off the
 * response path. If the database is unreachable the segments wait on disk and are replayed when it
 * returns — also after a restart. Inserts ignore rows that already exist, so a replay after a crash
 * between insert and clean-up writes nothing twice.
 */
@Injectable()
export class DecisionJournal implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DecisionJournal.name);
  /** Decisions not yet in the database, by id: GET /v1/decisions/:id answers from here meanwhile. */
  private readonly pending = new Map<string, DecisionRecord>();
  private readonly spool: DurableSpool<JournalEntry>;
  private readonly chunkRows: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partitions: PartitionManager,
  ) {
    this.chunkRows = flushChunkRows(config.databaseUrl === null);
    this.spool = new DurableSpool<JournalEntry>({
      dir: config.spoolDir,
      name: 'decisions',
      logger: this.logger,
      messages: {
        waiting: 'decisions kept in the journal until the database answers',
        caughtUp: 'journal replayed into the database',
        recovering: 'replaying the decision journal left by an earlier process',
      },
      insert: (entries) => this.insert(entries),
      onStored: (entries) => {
        for (const entry of entries) if (entry.kind === 'decision') this.pending.delete(entry.record.id);
      },
      onReplay: (entries) => {
        for (const entry of entries) if (entry.kind === 'decision') this.pending.set(entry.record.id, entry.record);
      },
    });
  }

  onModuleInit(): void {
    this.spool.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.spool.stop();
  }

  /** Appends one request's records; returns once they are on disk. */
  append(decisions: readonly DecisionRecord[], request: RequestRecord): void {
    this.spool.append([...decisions.map((record) => ({ kind: 'decision' as const, record })), { kind: 'request', record: request }]);
    for (const record of decisions) this.pending.set(record.id, record);
  }

  pendingDecision(id: string): DecisionRecord | undefined {
    return this.pending.get(id);
  }

  /** Records waiting for the database (for health and metrics). */
  get backlog(): number {
    return this.spool.backlog;
  }

  get lastFlushError(): string | null {
    return this.spool.lastFlushError;
  }

  /** Moves everything written so far into the database; resolves when done (or when it failed). */
  flush(): Promise<void> {
    return this.spool.flush();
  }

  private async insert(entries: readonly JournalEntry[]): Promise<void> {
    const decisions = entries.flatMap((entry) => (entry.kind === 'decision' ? [entry.record] : []));
    const requests = entries.flatMap((entry) => (entry.kind === 'request' ? [entry.record] : []));
    await this.partitions.ensure('price_decisions', decisions.map((record) => Date.parse(record.decidedAt)));
    await this.partitions.ensure('price_requests', requests.map((record) => Date.parse(record.requestedAt)));
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < decisions.length; start += this.chunkRows) {
        if (start > 0) await yieldToEventLoop();
        const part = decisions.slice(start, start + this.chunkRows);
        await manager.query(
          `INSERT INTO price_decisions (id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, experiment_id,
             model_version, reason, bound_by, expected_units, expected_margin, valid_until, store_day, days_to_expiry, stock_units,
             features, detail, fingerprint, request_id, caller)
           SELECT id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, experiment_id,
             model_version, reason, bound_by, expected_units, expected_margin, valid_until, store_day, days_to_expiry, stock_units,
             features::real[], detail::jsonb, fingerprint, request_id, caller
           FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::numeric[], $6::char(3)[], $7::numeric[], $8::numeric[],
             $9::varchar[], $10::uuid[], $11::varchar[], $12::varchar[], $13::varchar[], $14::real[], $15::numeric[], $16::timestamptz[],
             $17::date[], $18::int[], $19::numeric[], $20::text[], $21::text[], $22::varchar[], $23::varchar[], $24::varchar[])
             AS t(id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, experiment_id,
               model_version, reason, bound_by, expected_units, expected_margin, valid_until, store_day, days_to_expiry, stock_units,
               features, detail, fingerprint, request_id, caller)
           ON CONFLICT (id, decided_at) DO NOTHING`,
          [
            part.map((r) => r.id),
            part.map((r) => r.decidedAt),
            part.map((r) => r.storeId),
            part.map((r) => r.skuCode),
            part.map((r) => r.price),
            part.map((r) => r.currency),
            part.map((r) => r.listPrice),
            part.map((r) => r.unitCost),
            part.map((r) => r.variant),
            part.map((r) => r.experimentId),
            part.map((r) => r.modelVersion),
            part.map((r) => r.reason),
            part.map((r) => r.boundBy),
            part.map((r) => r.expectedUnits),
            part.map((r) => r.expectedMargin),
            part.map((r) => r.validUntil),
            part.map((r) => r.storeDay),
            part.map((r) => r.daysToExpiry),
            part.map((r) => r.stockUnits),
            part.map((r) => (r.features ? `{${r.features.join(',')}}` : null)),
            part.map((r) => (r.detail ? JSON.stringify(r.detail) : null)),
            part.map((r) => r.fingerprint),
            part.map((r) => r.requestId),
            part.map((r) => r.caller),
          ],
        );
      }
      for (let start = 0; start < requests.length; start += this.chunkRows) {
        await yieldToEventLoop();
        const part = requests.slice(start, start + this.chunkRows);
        await manager.query(
          `INSERT INTO price_requests (id, requested_at, request_id, caller, store_id, channel, customer_hash, segment, decision_ids)
           SELECT id, requested_at, request_id, caller, store_id, channel, customer_hash, segment, decision_ids::uuid[]
           FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::text[])
             AS t(id, requested_at, request_id, caller, store_id, channel, customer_hash, segment, decision_ids)
           ON CONFLICT (id, requested_at) DO NOTHING`,
          [
            part.map((r) => r.id),
            part.map((r) => r.requestedAt),
            part.map((r) => r.requestId),
            part.map((r) => r.caller),
            part.map((r) => r.storeId),
            part.map((r) => r.channel),
            part.map((r) => r.customerHash),
            part.map((r) => r.segment),
            part.map((r) => `{${r.decisionIds.join(',')}}`),
          ],
        );
      }
    });
  }
}
