import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isRecordRefused } from '../database/connection-errors';
import { DurableSpool, type SpoolBatch } from '../database/durable-spool';
import { flushChunkRows, PartitionManager } from '../database/partitions';

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

/** The key of a price_requests row (partitioned by `requestedAt`): how an audit record names its request record. */
export interface PriceRequestLink {
  readonly id: string;
  readonly requestedAt: string;
}

type JournalEntry = { kind: 'decision'; record: DecisionRecord } | { kind: 'request'; record: RequestRecord };

const DECISION_LINE_START = '{"kind":"decision","record":';
const REQUEST_LINE_START = '{"kind":"request","record":';

/**
 * The JSON text of the decision and request records of journal lines. A line is
 * `JSON.stringify({ kind, record })` (DecisionJournal.append), so the record is the text between the
 * line's fixed start and its closing brace; a line in any other shape is parsed and its record
 * stringified again (exactly what the database would have read from it).
 */
export function recordsOf(lines: readonly string[]): { decisions: string[]; requests: string[] } {
  const decisions: string[] = [];
  const requests: string[] = [];
  for (const line of lines) {
    if (line.startsWith(DECISION_LINE_START)) decisions.push(line.slice(DECISION_LINE_START.length, -1));
    else if (line.startsWith(REQUEST_LINE_START)) requests.push(line.slice(REQUEST_LINE_START.length, -1));
    else {
      const entry = JSON.parse(line) as { kind?: unknown; record?: unknown };
      // A record that is no object reaches the database as it is, which refuses it (set aside, as before).
      if (entry.kind === 'decision') decisions.push(JSON.stringify(entry.record) ?? 'null');
      else if (entry.kind === 'request') requests.push(JSON.stringify(entry.record) ?? 'null');
    }
  }
  return { decisions, requests };
}

/**
 * One statement per batch, decisions and requests together (a single statement is atomic): one JSON
 * array of the batch's decision records and one of its request records, cut out of the journal's
 * lines as text (`recordsOf`), so nothing is re-encoded on the way and a flush under load is one round
 * trip. Rows already present are ignored (a replay after a crash). `json`, not `jsonb`: embedded
 * (PGlite, then on the API's own thread) it priced 25 % more baskets a second. `json_to_recordset`
 * reads each array once; the statement before read every line as a whole, then its kind, then its
 * record again (json is re-parsed by each operator): a request row cost PostgreSQL ~34 µs, now ~25.
 */
const INSERT_JOURNAL_SQL = `
  WITH decisions AS (
    INSERT INTO price_decisions (id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, experiment_id,
      model_version, reason, bound_by, expected_units, expected_margin, valid_until, store_day, days_to_expiry, stock_units,
      features, detail, fingerprint, request_id, caller)
    SELECT r.id, r."decidedAt", r."storeId", r."skuCode", r.price, r.currency, r."listPrice", r."unitCost", r.variant, r."experimentId",
      r."modelVersion", r.reason, r."boundBy", r."expectedUnits", r."expectedMargin", r."validUntil", r."storeDay", r."daysToExpiry",
      r."stockUnits", r.features, r.detail, r.fingerprint, r."requestId", r.caller
    FROM json_to_recordset($1::json) AS r(id uuid, "decidedAt" timestamptz, "storeId" varchar, "skuCode" varchar,
      price numeric, currency char(3), "listPrice" numeric, "unitCost" numeric, variant varchar, "experimentId" uuid, "modelVersion" varchar,
      reason varchar, "boundBy" varchar, "expectedUnits" real, "expectedMargin" numeric, "validUntil" timestamptz, "storeDay" date,
      "daysToExpiry" int, "stockUnits" numeric, features real[], detail jsonb, fingerprint varchar, "requestId" varchar, caller varchar)
    ON CONFLICT (id, decided_at) DO NOTHING),
  requests AS (
    INSERT INTO price_requests (id, requested_at, request_id, caller, store_id, channel, customer_hash, segment, decision_ids)
    SELECT r.id, r."requestedAt", r."requestId", r.caller, r."storeId", r.channel, r."customerHash", r.segment, r."decisionIds"
    FROM json_to_recordset($2::json) AS r(id uuid, "requestedAt" timestamptz, "requestId" varchar, caller varchar,
      "storeId" varchar, channel varchar, "customerHash" varchar, segment varchar, "decisionIds" uuid[])
    ON CONFLICT (id, requested_at) DO NOTHING)
  SELECT 1`;

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
  /** Decisions not yet in the database, by id, as their journal line: GET /v1/decisions/:id answers from here meanwhile. */
  private readonly pending = new Map<string, string>();
  private readonly spool: DurableSpool<JournalEntry>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partitions: PartitionManager,
  ) {
    this.spool = new DurableSpool<JournalEntry>({
      dir: config.spoolDir,
      name: 'decisions',
      logger: this.logger,
      messages: {
        waiting: 'decisions kept in the journal until the database answers',
        caughtUp: 'journal replayed into the database',
        recovering: 'replaying the decision journal left by an earlier process',
        setAside: 'the database refused a decision journal record; set aside, the rest of the journal goes on',
      },
      maxBatchLines: flushChunkRows(config.databaseUrl === null),
      timeOf: (entry) => Date.parse(entry.kind === 'decision' ? entry.record.decidedAt : entry.record.requestedAt),
      keyOf: (entry) => (entry.kind === 'decision' ? entry.record.id : null),
      insert: (batch) => this.insert(batch),
      isRefused: isRecordRefused,
      onStored: (ids) => {
        for (const id of ids) this.pending.delete(id);
      },
      onReplay: (entries, lines) => {
        entries.forEach((entry, index) => {
          if (entry.kind === 'decision') this.pending.set(entry.record.id, lines[index] as string);
        });
      },
    });
  }

  onModuleInit(): void {
    this.spool.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.spool.stop();
  }

  /**
   * Appends one request's records; resolves once they are on disk. A request that waits for decisions
   * other requests make appends its own decisions first (request null) and its request record after.
   */
  append(decisions: readonly DecisionRecord[], request: RequestRecord | null): Promise<void> {
    const entries: JournalEntry[] = decisions.map((record) => ({ kind: 'decision' as const, record }));
    if (request) entries.push({ kind: 'request', record: request });
    const { lines, written } = this.spool.append(entries);
    decisions.forEach((record, index) => this.pending.set(record.id, lines[index] as string));
    return written;
  }

  pendingDecision(id: string): DecisionRecord | undefined {
    const line = this.pending.get(id);
    return line === undefined ? undefined : (JSON.parse(line) as { record: DecisionRecord }).record;
  }

  /** Records waiting for the database (for health and metrics). */
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

  /** Moves everything written so far into the database; resolves when done (or when it failed). */
  flush(): Promise<void> {
    return this.spool.flush();
  }

  private async insert(batch: SpoolBatch): Promise<void> {
    await this.partitions.ensure('price_decisions', batch.times);
    await this.partitions.ensure('price_requests', batch.times);
    const { decisions, requests } = recordsOf(batch.lines);
    await this.dataSource.query(INSERT_JOURNAL_SQL, [`[${decisions.join(',')}]`, `[${requests.join(',')}]`]);
  }
}
