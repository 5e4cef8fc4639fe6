import type { SqlRunner } from './api-instance';

export type EventTable = 'sales' | 'waste_events';

/** One sale or waste event as its sender knows it: the idempotency key and the event time (ms). */
export interface EventRef {
  key: string;
  at: number;
}

const refId = (ref: EventRef): string => `${ref.key}|${ref.at}`;

/** Counts of one kind of record, from the load generator's log against the database. */
export interface Reconciliation {
  record: string;
  /** Acknowledged by the API (200 with the record in it). */
  expected: number;
  /** Of those, found in the database. */
  stored: number;
  /** Extra copies beyond the first. */
  duplicated: number;
  /** Refused by the API (4xx) yet found in the database: a partial batch. */
  refusedButStored: number;
  /** Sent without a final answer (the client gave up): stored or not, never twice. */
  unresolved: number;
  /** A few acknowledged ids or keys not found, for the report. */
  missing?: string[];
}

/**
 * The load generator's own log: what the API acknowledged (ids returned, idempotency keys accepted),
 * what it refused, and what never got an answer. `reconcile` counts it against the database.
 */
export class Ledger {
  /** Price requests answered 200: request id → decision ids served. */
  readonly priceRequests = new Map<string, string[]>();
  readonly decisionIds = new Set<string>();
  private readonly accepted: Record<EventTable, Map<string, EventRef>> = { sales: new Map(), waste_events: new Map() };
  private readonly refused: Record<EventTable, Map<string, EventRef>> = { sales: new Map(), waste_events: new Map() };
  private readonly pending: Record<EventTable, Map<string, EventRef>> = { sales: new Map(), waste_events: new Map() };
  /** Sum of `created` over acknowledged batches. */
  readonly created: Record<EventTable, number> = { sales: 0, waste_events: 0 };
  /** Answers whose counts contradict the ledger (a retry of an acknowledged batch that created rows, …). */
  readonly contradictions: string[] = [];

  /** A 200 from the price endpoints. One that served no decision (an empty shelf-label page) has nothing to record. */
  pricesAnswered(requestId: string, decisionIds: readonly string[]): void {
    if (decisionIds.length === 0) return;
    this.priceRequests.set(requestId, [...decisionIds]);
    for (const id of decisionIds) this.decisionIds.add(id.toLowerCase());
  }

  /** A batch is on its way (an answer may never come). */
  eventsSent(table: EventTable, refs: readonly EventRef[]): void {
    for (const ref of refs) if (!this.accepted[table].has(refId(ref))) this.pending[table].set(refId(ref), ref);
  }

  eventsAccepted(table: EventTable, refs: readonly EventRef[], created: number): void {
    for (const ref of refs) {
      this.accepted[table].set(refId(ref), ref);
      this.pending[table].delete(refId(ref));
    }
    this.created[table] += created;
  }

  eventsRefused(table: EventTable, refs: readonly EventRef[]): void {
    for (const ref of refs) {
      this.pending[table].delete(refId(ref));
      this.refused[table].set(refId(ref), ref);
    }
  }

  acceptedCount(table: EventTable): number {
    return this.accepted[table].size;
  }

  /** Counts every record kind of the log against the database. */
  async reconcile(db: SqlRunner): Promise<Reconciliation[]> {
    const results: Reconciliation[] = [];
    for (const table of ['sales', 'waste_events'] as const) {
      if (this.accepted[table].size + this.refused[table].size + this.pending[table].size === 0) continue;
      results.push(await this.reconcileEvents(db, table));
    }
    if (this.priceRequests.size > 0) {
      results.push(await this.countIds(db, 'decisions', 'price_decisions', 'id::text', [...this.decisionIds]));
      results.push(await this.countIds(db, 'price requests', 'price_requests', 'request_id', [...this.priceRequests.keys()]));
    }
    return results;
  }

  private async reconcileEvents(db: SqlRunner, table: EventTable): Promise<Reconciliation> {
    const time = table === 'sales' ? 'sold_at' : 'wasted_at';
    const accepted = [...this.accepted[table].values()];
    const refused = [...this.refused[table].values()].filter((ref) => !this.accepted[table].has(refId(ref)));
    const pending = [...this.pending[table].values()];
    const counts = await this.countEvents(db, table, time, [...accepted, ...refused, ...pending]);
    let stored = 0;
    let duplicated = 0;
    const missing: string[] = [];
    for (const ref of accepted) {
      const count = counts.get(refId(ref)) ?? 0;
      if (count > 0) stored++;
      else if (missing.length < 5) missing.push(`${ref.key} at ${new Date(ref.at).toISOString()}`);
      duplicated += Math.max(0, count - 1);
    }
    let refusedButStored = 0;
    for (const ref of refused) if ((counts.get(refId(ref)) ?? 0) > 0) refusedButStored++;
    for (const ref of pending) duplicated += Math.max(0, (counts.get(refId(ref)) ?? 0) - 1);
    return { record: table === 'sales' ? 'sales' : 'waste', expected: accepted.length, stored, duplicated, refusedButStored, unresolved: pending.length, missing };
  }

  private async countEvents(db: SqlRunner, table: EventTable, time: string, refs: readonly EventRef[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    // A key with U+0000 cannot be stored (nor asked about) in PostgreSQL text: the API refuses it.
    const keys = [...new Set(refs.map((ref) => ref.key))].filter((key) => !key.includes('\u0000'));
    for (let start = 0; start < keys.length; start += 5_000) {
      // Date.parse drops digits below the millisecond; floor them here too (round would differ at .5).
      const rows = await db.query<{ key: string; ms: string | number; n: string | number }>(
        `SELECT idempotency_key AS key, floor(extract(epoch FROM ${time}) * 1000)::bigint AS ms, count(*) AS n
         FROM ${table} WHERE idempotency_key = ANY($1::varchar[]) GROUP BY 1, 2`,
        [keys.slice(start, start + 5_000)],
      );
      for (const row of rows) counts.set(`${row.key}|${Number(row.ms)}`, Number(row.n));
    }
    return counts;
  }

  private async countIds(db: SqlRunner, record: string, table: string, column: string, ids: readonly string[]): Promise<Reconciliation> {
    let stored = 0;
    let duplicated = 0;
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += 5_000) {
      const rows = await db.query<{ id: string; n: string | number }>(`SELECT ${column} AS id, count(*) AS n FROM ${table} WHERE ${column} = ANY($1::text[]) GROUP BY 1`, [ids.slice(start, start + 5_000)]);
      for (const row of rows) {
        stored++;
        found.add(row.id);
        duplicated += Math.max(0, Number(row.n) - 1);
      }
    }
    const missing = ids.filter((id) => !found.has(id)).slice(0, 5);
    return { record, expected: ids.length, stored, duplicated, refusedButStored: 0, unresolved: 0, missing };
  }
}

/** The (key, time) pairs of a sales or waste batch body, when it has that shape. */
export function eventRefs(body: unknown, timeField: 'soldAt' | 'wastedAt'): EventRef[] {
  const events = (body as { events?: unknown } | null | undefined)?.events;
  if (!Array.isArray(events)) return [];
  const refs: EventRef[] = [];
  for (const event of events) {
    const key = (event as Record<string, unknown> | null)?.['idempotencyKey'];
    const time = (event as Record<string, unknown> | null)?.[timeField];
    if (typeof key !== 'string' || typeof time !== 'string') continue;
    const at = Date.parse(time);
    if (Number.isFinite(at)) refs.push({ key, at });
  }
  return refs;
}
