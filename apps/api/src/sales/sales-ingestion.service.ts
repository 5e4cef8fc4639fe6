import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, MS_PER_DAY, uuidv7, uuidv7Time, type FieldProblem } from '@dynaprice/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { validationFailure } from '../common/validation';
import { PartitionManager, type PartitionedTable } from '../database/partitions';
import { ActiveExperiments } from '../experiments/active-experiments';
import { DecisionJournal } from '../pricing/decision-journal';
import { PricingState } from '../pricing/pricing-state';
import { CustomerHasher } from './customer-hasher';
import type { IngestResultDto, SalesBatchDto, WasteBatchDto } from './dto/events.dto';

/** Clock skew tolerated on event times from the stores' tills. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Events older than this are refused (they would open partitions for long-closed days). */
export const MAX_EVENT_AGE_DAYS = 400;
/** How far back the decision in force is looked for when a sale does not name one. */
const DECISION_LOOKBACK = '7 days';
/** Problems listed in one answer, at most. */
const MAX_PROBLEMS = 100;

interface EventRow {
  index: number;
  key: string;
  at: number;
  storeId: string;
  skuCode: string;
  quantity: number;
  /** Sales: unit price; waste: unit cost. */
  amount: number;
  decisionId: string | null;
  customerHash: string | null;
  segment: string | null;
  reason: string | null;
}

type Row = Record<string, unknown>;

/** An event's store or SKU that does not exist, as field problems (`events[i].storeId`, `events[i].skuCode`). */
function unknownCatalogProblems(row: Pick<EventRow, 'index' | 'storeId' | 'skuCode'>, storeExists: (id: string) => boolean, skuExists: (code: string) => boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!storeExists(row.storeId)) problems.push({ field: `events[${row.index}].storeId`, message: `store ${JSON.stringify(row.storeId)} does not exist` });
  if (!skuExists(row.skuCode)) problems.push({ field: `events[${row.index}].skuCode`, message: `SKU ${JSON.stringify(row.skuCode)} does not exist` });
  return problems;
}

/** The content that must be the same when an idempotency key comes again. */
function fingerprint(row: Pick<EventRow, 'storeId' | 'skuCode' | 'quantity' | 'amount' | 'customerHash' | 'segment' | 'reason'>): string {
  return [row.storeId, row.skuCode, Number(row.quantity).toFixed(3), Number(row.amount).toFixed(4), row.customerHash ?? '', row.segment ?? '', row.reason ?? ''].join('|');
}

/**
 * Sales and waste reported by the stores, in batches of up to 10,000 events. A batch is all or nothing:
 * one bad event refuses it with the event's index named, and nothing is stored. Each event's
 * idempotency key (with its time) is unique in the table, and inserts skip keys already stored
 * (`ON CONFLICT DO NOTHING`, which waits for a concurrent insert of the same key to commit or roll
 * back), so retries — also concurrent ones — store nothing twice. Customer ids are kept only as HMACs.
 */
@Injectable()
export class SalesIngestionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly partitions: PartitionManager,
    private readonly state: PricingState,
    private readonly journal: DecisionJournal,
    private readonly customers: CustomerHasher,
    private readonly experiments: ActiveExperiments,
  ) {}

  async ingestSales(body: SalesBatchDto): Promise<IngestResultDto> {
    const rows: EventRow[] = body.events.map((event, index) => ({
      index,
      key: event.idempotencyKey,
      at: Date.parse(event.soldAt),
      storeId: event.storeId,
      skuCode: event.skuCode,
      quantity: event.quantity,
      amount: event.unitPrice,
      decisionId: event.decisionId ?? null,
      customerHash: event.customerId === undefined ? null : this.customers.hash(event.customerId),
      segment: event.segment ?? null,
      reason: null,
    }));
    const problems = this.eventProblems(rows, 'soldAt');
    const unique = this.dropRepeats(rows, 'soldAt', problems);
    if (problems.length === 0) await this.checkDecisions(unique, problems);
    if (problems.length > 0) throw validationFailure(problems);
    const linked = await this.linkDecisions(unique);
    const created = await this.insert('sales', unique, 'soldAt');
    return { received: rows.length, created, duplicates: rows.length - created, decisionsLinked: linked };
  }

  async ingestWaste(body: WasteBatchDto): Promise<IngestResultDto> {
    const rows: EventRow[] = body.events.map((event, index) => ({
      index,
      key: event.idempotencyKey,
      at: Date.parse(event.wastedAt),
      storeId: event.storeId,
      skuCode: event.skuCode,
      quantity: event.quantity,
      amount: event.unitCost ?? this.state.sku(event.skuCode)?.unitCost ?? 0,
      decisionId: null,
      customerHash: null,
      segment: null,
      reason: event.reason ?? 'expired',
    }));
    const problems = this.eventProblems(rows, 'wastedAt');
    const unique = this.dropRepeats(rows, 'wastedAt', problems);
    if (problems.length > 0) throw validationFailure(problems);
    const created = await this.insert('waste_events', unique, 'wastedAt');
    return { received: rows.length, created, duplicates: rows.length - created };
  }

  /** Unknown stores and SKUs, times in the future or too far back. */
  private eventProblems(rows: readonly EventRow[], timeField: string): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const now = this.clock.now();
    const oldest = now - MAX_EVENT_AGE_DAYS * MS_PER_DAY;
    for (const row of rows) {
      if (problems.length >= MAX_PROBLEMS) break;
      const at = `events[${row.index}]`;
      problems.push(...unknownCatalogProblems(row, (id) => this.state.storeInfo(id) !== undefined, (code) => this.state.sku(code) !== undefined));
      if (!Number.isFinite(row.at)) problems.push({ field: `${at}.${timeField}`, message: 'is not a valid time' });
      else if (row.at > now + FUTURE_TOLERANCE_MS) problems.push({ field: `${at}.${timeField}`, message: `is in the future (now is ${new Date(now).toISOString()})` });
      else if (row.at < oldest) problems.push({ field: `${at}.${timeField}`, message: `is more than ${MAX_EVENT_AGE_DAYS} days ago` });
    }
    return problems;
  }

  /**
   * An idempotency key repeated within the batch: the same event twice is stored once; the same key
   * for a different event is a mistake the sender must hear about.
   */
  private dropRepeats(rows: readonly EventRow[], timeField: string, problems: FieldProblem[]): EventRow[] {
    const first = new Map<string, EventRow>();
    const unique: EventRow[] = [];
    for (const row of rows) {
      const earlier = first.get(row.key);
      if (!earlier) {
        first.set(row.key, row);
        unique.push(row);
        continue;
      }
      if (earlier.at !== row.at) {
        problems.push({ field: `events[${row.index}].idempotencyKey`, message: `repeats events[${earlier.index}] with a different ${timeField}` });
      } else if (fingerprint(earlier) !== fingerprint(row) || (row.decisionId !== null && earlier.decisionId !== null && row.decisionId !== earlier.decisionId)) {
        problems.push({ field: `events[${row.index}].idempotencyKey`, message: `repeats events[${earlier.index}] with different content` });
      }
    }
    return unique;
  }

  /** Decision ids a sale names must exist and be for the sale's store and SKU. */
  private async checkDecisions(rows: readonly EventRow[], problems: FieldProblem[]): Promise<void> {
    const named = rows.filter((row) => row.decisionId !== null);
    if (named.length === 0) return;
    const lookups: Array<{ row: EventRow; time: number }> = [];
    for (const row of named) {
      const time = uuidv7Time(row.decisionId as string);
      if (time === null) problems.push({ field: `events[${row.index}].decisionId`, message: 'is not the id of a price decision' });
      else lookups.push({ row, time });
    }
    if (lookups.length === 0) return;
    await this.journal.flush();
    const found = (await this.dataSource.query(
      `SELECT t.id::text AS id, d.store_id, d.sku_code
       FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, at)
       JOIN price_decisions d ON d.id = t.id AND d.decided_at = t.at`,
      [lookups.map((entry) => entry.row.decisionId), lookups.map((entry) => new Date(entry.time).toISOString())],
    )) as Row[];
    const byId = new Map(found.map((entry) => [String(entry['id']), entry]));
    for (const { row } of lookups) {
      if (problems.length >= MAX_PROBLEMS) return;
      const id = row.decisionId as string;
      const decision = byId.get(id.toLowerCase()) ?? this.pendingAsRow(id);
      if (!decision) problems.push({ field: `events[${row.index}].decisionId`, message: `price decision ${id} does not exist` });
      else if (decision['store_id'] !== row.storeId || decision['sku_code'] !== row.skuCode) {
        problems.push({ field: `events[${row.index}].decisionId`, message: `price decision ${id} priced ${String(decision['sku_code'])} in store ${String(decision['store_id'])}, not this sale's` });
      }
    }
  }

  private pendingAsRow(id: string): Row | undefined {
    const pending = this.journal.pendingDecision(id);
    return pending ? { store_id: pending.storeId, sku_code: pending.skuCode } : undefined;
  }

  /**
   * A sale without a decision id gets the decision in force for its store × SKU at its time (the
   * latest one made before it); in a customer-level experiment, the one of the customer's variant.
   */
  private async linkDecisions(rows: EventRow[]): Promise<number> {
    const open = rows.filter((row) => row.decisionId === null);
    if (open.length === 0) return 0;
    await this.journal.flush();
    const variants = open.map((row) => {
      const category = this.state.sku(row.skuCode)?.category;
      return row.customerHash && category ? this.experiments.customerVariantAt(row.storeId, category, row.customerHash, row.at) : null;
    });
    const found = (await this.dataSource.query(
      `SELECT t.i, (
         SELECT d.id::text FROM price_decisions d
         WHERE d.store_id = t.store AND d.sku_code = t.sku AND d.decided_at <= t.at AND d.decided_at > t.at - interval '${DECISION_LOOKBACK}'
           AND (t.experiment IS NULL OR (d.experiment_id = t.experiment AND d.variant = t.variant))
         ORDER BY d.decided_at DESC LIMIT 1
       ) AS decision_id
       FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::uuid[], $6::varchar[]) AS t(i, store, sku, at, experiment, variant)`,
      [
        open.map((_, i) => i),
        open.map((row) => row.storeId),
        open.map((row) => row.skuCode),
        open.map((row) => new Date(row.at).toISOString()),
        variants.map((variant) => variant?.experimentId ?? null),
        variants.map((variant) => variant?.variant ?? null),
      ],
    )) as Row[];
    let linked = 0;
    for (const entry of found) {
      const row = open[Number(entry['i'])];
      if (!row || entry['decision_id'] === null || entry['decision_id'] === undefined) continue;
      row.decisionId = String(entry['decision_id']);
      linked++;
    }
    return linked;
  }

  /** Inserts in one transaction; returns how many rows were new. A key stored before for a different event refuses the batch. */
  private async insert(table: Extract<PartitionedTable, 'sales' | 'waste_events'>, rows: readonly EventRow[], timeField: string): Promise<number> {
    // Partitions first: one created inside a rolled-back transaction would vanish with it.
    await this.partitions.ensure(table, rows.map((row) => row.at));
    // The same order in every transaction, so that two overlapping batches wait for each other instead of deadlocking.
    const sorted = [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.at - b.at));
    return this.dataSource.transaction(async (manager) => {
      await this.holdCatalogRows(manager, rows);
      const inserted = table === 'sales' ? await this.insertSales(manager, sorted) : await this.insertWaste(manager, sorted);
      const created = new Set(inserted.map((entry) => `${String(entry['idempotency_key'])}|${+new Date(entry['at'] as string)}`));
      const repeated = sorted.filter((row) => !created.has(`${row.key}|${row.at}`));
      if (repeated.length > 0) await this.assertSameAsStored(manager, table, repeated, timeField);
      return created.size;
    });
  }

  /**
   * The events' stores and SKUs, checked again inside the inserting transaction and held (FOR KEY SHARE)
   * until it commits: the in-memory check before it can be a moment old, and sales and waste carry no
   * foreign key. A store or SKU deleted meanwhile refuses the batch (400); a delete that comes later
   * waits for the lock and then finds this history (409, CatalogHistory).
   */
  private async holdCatalogRows(manager: EntityManager, rows: readonly EventRow[]): Promise<void> {
    const storeIds = [...new Set(rows.map((row) => row.storeId))].sort();
    const skuCodes = [...new Set(rows.map((row) => row.skuCode))].sort();
    const stores = (await manager.query(`SELECT id FROM stores WHERE id = ANY($1::varchar[]) ORDER BY id FOR KEY SHARE`, [storeIds])) as Array<{ id: string }>;
    const skus = (await manager.query(`SELECT code FROM skus WHERE code = ANY($1::varchar[]) ORDER BY code FOR KEY SHARE`, [skuCodes])) as Array<{ code: string }>;
    if (stores.length === storeIds.length && skus.length === skuCodes.length) return;
    const storeExists = new Set(stores.map((store) => store.id));
    const skuExists = new Set(skus.map((sku) => sku.code));
    const problems = rows.flatMap((row) => unknownCatalogProblems(row, (id) => storeExists.has(id), (code) => skuExists.has(code)));
    throw validationFailure(problems.slice(0, MAX_PROBLEMS));
  }

  private insertSales(manager: EntityManager, rows: readonly EventRow[]): Promise<Row[]> {
    return manager.query(
      `INSERT INTO sales (id, sold_at, idempotency_key, store_id, sku_code, quantity, unit_price, decision_id, customer_hash, segment)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::numeric[], $7::numeric[], $8::uuid[], $9::varchar[], $10::varchar[])
       ON CONFLICT (idempotency_key, sold_at) DO NOTHING
       RETURNING idempotency_key, sold_at AS at`,
      [
        rows.map((row) => uuidv7(row.at)),
        rows.map((row) => new Date(row.at).toISOString()),
        rows.map((row) => row.key),
        rows.map((row) => row.storeId),
        rows.map((row) => row.skuCode),
        rows.map((row) => row.quantity),
        rows.map((row) => row.amount),
        rows.map((row) => row.decisionId),
        rows.map((row) => row.customerHash),
        rows.map((row) => row.segment),
      ],
    ) as Promise<Row[]>;
  }

  private insertWaste(manager: EntityManager, rows: readonly EventRow[]): Promise<Row[]> {
    return manager.query(
      `INSERT INTO waste_events (id, wasted_at, idempotency_key, store_id, sku_code, quantity, unit_cost, reason)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::numeric[], $7::numeric[], $8::varchar[])
       ON CONFLICT (idempotency_key, wasted_at) DO NOTHING
       RETURNING idempotency_key, wasted_at AS at`,
      [
        rows.map((row) => uuidv7(row.at)),
        rows.map((row) => new Date(row.at).toISOString()),
        rows.map((row) => row.key),
        rows.map((row) => row.storeId),
        rows.map((row) => row.skuCode),
        rows.map((row) => row.quantity),
        rows.map((row) => row.amount),
        rows.map((row) => row.reason),
      ],
    ) as Promise<Row[]>;
  }

  /** Keys that were stored before must describe the same event; otherwise the whole batch is refused (409). */
  private async assertSameAsStored(manager: EntityManager, table: 'sales' | 'waste_events', rows: readonly EventRow[], timeField: string): Promise<void> {
    const time = table === 'sales' ? 'sold_at' : 'wasted_at';
    const amount = table === 'sales' ? 'unit_price' : 'unit_cost';
    const extra = table === 'sales' ? 'customer_hash, segment, NULL AS reason' : 'NULL AS customer_hash, NULL AS segment, reason';
    const stored = (await manager.query(
      `SELECT t.idempotency_key, ${time} AS at, store_id, sku_code, quantity, ${amount} AS amount, ${extra}
       FROM unnest($1::varchar[], $2::timestamptz[]) AS t(idempotency_key, at)
       JOIN ${table} e ON e.idempotency_key = t.idempotency_key AND e.${time} = t.at`,
      [rows.map((row) => row.key), rows.map((row) => new Date(row.at).toISOString())],
    )) as Row[];
    const byKey = new Map(stored.map((entry) => [`${String(entry['idempotency_key'])}|${+new Date(entry['at'] as string)}`, entry]));
    const problems: FieldProblem[] = [];
    for (const row of rows) {
      const entry = byKey.get(`${row.key}|${row.at}`);
      if (!entry) continue;
      const before = fingerprint({
        storeId: String(entry['store_id']),
        skuCode: String(entry['sku_code']),
        quantity: Number(entry['quantity']),
        amount: Number(entry['amount']),
        customerHash: (entry['customer_hash'] as string | null) ?? null,
        segment: (entry['segment'] as string | null) ?? null,
        reason: (entry['reason'] as string | null) ?? null,
      });
      if (before !== fingerprint(row)) problems.push({ field: `events[${row.index}].idempotencyKey`, message: `was stored before for a different event at the same ${timeField}` });
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (problems.length > 0) {
      throw new DomainError('CONFLICT', `${problems[0]?.field}: ${problems[0]?.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems);
    }
  }
}
