import fc from 'fast-check';
import type { SqlRunner } from './api-instance';
import { eventRefs, Ledger, type EventRef, type EventTable, type Reconciliation } from './ledger';

/** What the fake database holds: event rows by (key, time), decision ids and price-request ids. */
interface Stored {
  sales?: EventRef[];
  waste_events?: EventRef[];
  price_decisions?: string[];
  price_requests?: string[];
}

/**
 * A stand-in for PostgreSQL that answers the two grouped counts the ledger asks for, from plain arrays:
 * `WHERE idempotency_key = ANY($1)` grouped by key and time, or `WHERE <column> = ANY($1)` grouped by id.
 * Bigints and counts come back as strings, as node-postgres returns them.
 */
class FakeDb implements SqlRunner {
  readonly queries: Array<{ sql: string; params: unknown[] }> = [];

  constructor(private readonly stored: Stored) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.queries.push({ sql, params });
    const table = /\bFROM (\w+) WHERE\b/.exec(sql)?.[1];
    const wanted = new Set(params[0] as string[]);
    const counts = new Map<string, { row: Record<string, string>; n: number }>();
    const add = (id: string, row: Record<string, string>): void => {
      const entry = counts.get(id) ?? { row, n: 0 };
      entry.n++;
      counts.set(id, entry);
    };
    if (table === 'sales' || table === 'waste_events') {
      for (const ref of this.stored[table] ?? []) if (wanted.has(ref.key)) add(`${ref.key}|${ref.at}`, { key: ref.key, ms: String(ref.at) });
    } else if (table === 'price_decisions' || table === 'price_requests') {
      for (const id of this.stored[table] ?? []) if (wanted.has(id)) add(id, { id });
    } else {
      throw new Error(`unexpected query: ${sql}`);
    }
    return [...counts.values()].map(({ row, n }) => ({ ...row, n: String(n) }) as T);
  }

  async close(): Promise<void> {
    // Nothing to close.
  }
}

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const ref = (key: string, at = T0): EventRef => ({ key, at });

function only(results: Reconciliation[], record: string): Reconciliation {
  const found = results.find((result) => result.record === record);
  if (!found) throw new Error(`no ${record} record in ${JSON.stringify(results)}`);
  return found;
}

describe(Ledger.name, () => {
  describe('reconcile, sales and waste', () => {
    it('reports a clean count when every acknowledged event is stored exactly once', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a'), ref('b'), ref('c')], 3);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a'), ref('b'), ref('c')] }));
      expect(sales).toEqual({ record: 'sales', expected: 3, stored: 3, duplicated: 0, refusedButStored: 0, unresolved: 0, missing: [] });
    });

    it('names acknowledged events that are not in the database, with their time', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a'), ref('b')], 2);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a')] }));
      expect(sales).toMatchObject({ expected: 2, stored: 1, duplicated: 0 });
      expect(sales?.missing).toEqual(['b at 2026-03-01T10:00:00.000Z']);
    });

    it('lists at most five missing events', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', Array.from({ length: 9 }, (_, i) => ref(`k${i}`)), 9);
      const [sales] = await ledger.reconcile(new FakeDb({}));
      expect(sales).toMatchObject({ expected: 9, stored: 0 });
      expect(sales?.missing).toHaveLength(5);
    });

    it('matches an event by key and time: the same key at another time is not the acknowledged event', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a', T0)], 1);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a', T0 + 1)] }));
      expect(sales).toMatchObject({ expected: 1, stored: 0, duplicated: 0 });
    });

    it('treats one key at two times as two events', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a', T0), ref('a', T0 + 60_000)], 2);
      expect(ledger.acceptedCount('sales')).toBe(2);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a', T0), ref('a', T0 + 60_000)] }));
      expect(sales).toMatchObject({ expected: 2, stored: 2, duplicated: 0 });
    });

    it('counts every copy beyond the first as a duplicate', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a'), ref('b')], 2);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a'), ref('a'), ref('a'), ref('b'), ref('b')] }));
      expect(sales).toMatchObject({ expected: 2, stored: 2, duplicated: 3 });
    });

    it('reports events of a refused batch found in the database (a partial batch)', async () => {
      const ledger = new Ledger();
      ledger.eventsSent('sales', [ref('a'), ref('b'), ref('c')]);
      ledger.eventsRefused('sales', [ref('a'), ref('b'), ref('c')]);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('b')] }));
      expect(sales).toMatchObject({ expected: 0, stored: 0, refusedButStored: 1, unresolved: 0, duplicated: 0 });
    });

    it('does not blame a refusal when a later attempt of the same event was acknowledged', async () => {
      const ledger = new Ledger();
      ledger.eventsRefused('sales', [ref('a')]);
      ledger.eventsAccepted('sales', [ref('a')], 1);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a')] }));
      expect(sales).toMatchObject({ expected: 1, stored: 1, refusedButStored: 0 });
    });

    it('keeps events sent without an answer apart: unresolved, fine stored once or not at all', async () => {
      const ledger = new Ledger();
      ledger.eventsSent('sales', [ref('a'), ref('b')]);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a')] }));
      expect(sales).toMatchObject({ expected: 0, stored: 0, duplicated: 0, refusedButStored: 0, unresolved: 2, missing: [] });
    });

    it('counts an unresolved event stored twice as a duplicate', async () => {
      const ledger = new Ledger();
      ledger.eventsSent('sales', [ref('a')]);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a'), ref('a')] }));
      expect(sales).toMatchObject({ unresolved: 1, duplicated: 1 });
    });

    it('resolves a sent event once it is acknowledged, and does not reopen it when it is sent again', async () => {
      const ledger = new Ledger();
      ledger.eventsSent('sales', [ref('a')]);
      ledger.eventsAccepted('sales', [ref('a')], 1);
      ledger.eventsSent('sales', [ref('a')]);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a')] }));
      expect(sales).toMatchObject({ expected: 1, stored: 1, unresolved: 0 });
    });

    it('counts an event acknowledged twice once', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a')], 1);
      ledger.eventsAccepted('sales', [ref('a')], 0);
      expect(ledger.acceptedCount('sales')).toBe(1);
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a')] }));
      expect(sales).toMatchObject({ expected: 1, stored: 1, duplicated: 0 });
    });

    it('sums `created` of acknowledged batches per table', () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a'), ref('b')], 2);
      ledger.eventsAccepted('sales', [ref('a'), ref('b')], 0);
      ledger.eventsAccepted('waste_events', [ref('w')], 1);
      expect(ledger.created).toEqual({ sales: 2, waste_events: 1 });
    });

    it('reconciles waste events against waste_events, under the record name "waste", apart from sales', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('waste_events', [ref('w1'), ref('w2')], 2);
      const db = new FakeDb({ sales: [ref('w1'), ref('w2')], waste_events: [ref('w1')] });
      const results = await ledger.reconcile(db);
      expect(results.map((result) => result.record)).toEqual(['waste']);
      expect(only(results, 'waste')).toMatchObject({ expected: 2, stored: 1 });
      expect(db.queries.every((query) => /FROM waste_events WHERE/.test(query.sql) && query.sql.includes('wasted_at'))).toBe(true);
    });

    it('reads sales times from sold_at', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a')], 1);
      const db = new FakeDb({ sales: [ref('a')] });
      await ledger.reconcile(db);
      expect(db.queries).toHaveLength(1);
      expect(db.queries[0]?.sql).toContain('sold_at');
      expect(db.queries[0]?.params).toEqual([['a']]);
    });

    it('asks nothing of the database for an empty ledger', async () => {
      const db = new FakeDb({});
      await expect(new Ledger().reconcile(db)).resolves.toEqual([]);
      expect(db.queries).toEqual([]);
    });

    it('never asks the database about a key containing U+0000 (PostgreSQL text cannot hold it)', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('ok'), ref('a\u0000b')], 2);
      const db = new FakeDb({ sales: [ref('ok')] });
      const [sales] = await ledger.reconcile(db);
      expect(db.queries.flatMap((query) => query.params[0] as string[])).toEqual(['ok']);
      expect(sales).toMatchObject({ expected: 2, stored: 1 });
    });

    it('asks about each key once, in chunks of at most 5,000', async () => {
      const ledger = new Ledger();
      const refs = Array.from({ length: 12_001 }, (_, i) => ref(`k${i}`));
      ledger.eventsAccepted('sales', refs, refs.length);
      ledger.eventsAccepted('sales', [ref('k0', T0 + 1)], 1);
      const db = new FakeDb({ sales: refs });
      const [sales] = await ledger.reconcile(db);
      const chunks = db.queries.map((query) => query.params[0] as string[]);
      expect(chunks.map((chunk) => chunk.length)).toEqual([5_000, 5_000, 2_001]);
      expect(new Set(chunks.flat()).size).toBe(12_001);
      expect(sales).toMatchObject({ expected: 12_002, stored: 12_001, duplicated: 0 });
    });
  });

  describe('reconcile, price decisions and requests', () => {
    it('records nothing for a price answer that served no decision', async () => {
      const ledger = new Ledger();
      ledger.pricesAnswered('r1', []);
      expect(ledger.priceRequests.size).toBe(0);
      await expect(ledger.reconcile(new FakeDb({}))).resolves.toEqual([]);
    });

    it('counts decisions (ids compared in lower case, as PostgreSQL prints a uuid) and price requests', async () => {
      const ledger = new Ledger();
      ledger.pricesAnswered('r1', ['0190A5D0-0000-7000-8000-000000000001', '0190a5d0-0000-7000-8000-000000000002']);
      ledger.pricesAnswered('r2', ['0190a5d0-0000-7000-8000-000000000003']);
      const db = new FakeDb({
        price_decisions: ['0190a5d0-0000-7000-8000-000000000001', '0190a5d0-0000-7000-8000-000000000002', '0190a5d0-0000-7000-8000-000000000002'],
        price_requests: ['r1'],
      });
      const results = await ledger.reconcile(db);
      expect(results.map((result) => result.record)).toEqual(['decisions', 'price requests']);
      expect(only(results, 'decisions')).toEqual({
        record: 'decisions',
        expected: 3,
        stored: 2,
        duplicated: 1,
        refusedButStored: 0,
        unresolved: 0,
        missing: ['0190a5d0-0000-7000-8000-000000000003'],
      });
      expect(only(results, 'price requests')).toMatchObject({ expected: 2, stored: 1, duplicated: 0, missing: ['r2'] });
    });

    it('puts the event records before the price records', async () => {
      const ledger = new Ledger();
      ledger.pricesAnswered('r1', ['d1']);
      ledger.eventsAccepted('waste_events', [ref('w')], 1);
      ledger.eventsAccepted('sales', [ref('s')], 1);
      const results = await ledger.reconcile(new FakeDb({}));
      expect(results.map((result) => result.record)).toEqual(['sales', 'waste', 'decisions', 'price requests']);
    });
  });

  describe('contradictions', () => {
    it('are what the load generator wrote: reconcile counts, it neither adds nor clears them', async () => {
      const ledger = new Ledger();
      ledger.eventsAccepted('sales', [ref('a')], 1);
      ledger.contradictions.push('batch 3 was acknowledged before, yet its resend created 1 rows');
      const [sales] = await ledger.reconcile(new FakeDb({ sales: [ref('a'), ref('a')] }));
      expect(sales?.duplicated).toBe(1);
      expect(ledger.contradictions).toEqual(['batch 3 was acknowledged before, yet its resend created 1 rows']);
    });
  });

  describe('properties', () => {
    type Op = { kind: 'sent' | 'accepted' | 'refused'; table: EventTable; refs: number[] };
    const KEYS = 12;
    const refOf = (index: number): EventRef => ref(`key-${index % 4}`, T0 + Math.floor(index / 4) * 1_000);
    const opArb: fc.Arbitrary<Op> = fc.record({
      kind: fc.constantFrom('sent' as const, 'accepted' as const, 'refused' as const),
      table: fc.constantFrom('sales' as const, 'waste_events' as const),
      refs: fc.uniqueArray(fc.nat({ max: KEYS - 1 }), { minLength: 1, maxLength: 5 }),
    });

    function replay(ops: readonly Op[]): Ledger {
      const ledger = new Ledger();
      for (const op of ops) {
        const refs = op.refs.map(refOf);
        if (op.kind === 'sent') ledger.eventsSent(op.table, refs);
        else if (op.kind === 'accepted') ledger.eventsAccepted(op.table, refs, refs.length);
        else ledger.eventsRefused(op.table, refs);
      }
      return ledger;
    }

    /** The fate of each event of one table, read straight from the log: acknowledged ever, else the last word. */
    function fates(ops: readonly Op[], table: EventTable): { accepted: Set<number>; refusedOnly: Set<number>; unanswered: Set<number> } {
      const accepted = new Set<number>();
      const refused = new Set<number>();
      const last = new Map<number, 'sent' | 'refused'>();
      for (const op of ops) {
        if (op.table !== table) continue;
        for (const index of op.refs) {
          if (op.kind === 'accepted') accepted.add(index);
          else {
            if (op.kind === 'refused') refused.add(index);
            last.set(index, op.kind);
          }
        }
      }
      const refusedOnly = new Set([...refused].filter((index) => !accepted.has(index)));
      const unanswered = new Set([...last].filter(([index, word]) => word === 'sent' && !accepted.has(index)).map(([index]) => index));
      return { accepted, refusedOnly, unanswered };
    }

    const record = (table: EventTable): string => (table === 'sales' ? 'sales' : 'waste');

    it('a database holding exactly the acknowledged events, once each, reconciles clean', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
          const stored: Stored = { sales: [], waste_events: [] };
          for (const table of ['sales', 'waste_events'] as const) stored[table] = [...fates(ops, table).accepted].map(refOf);
          const results = await replay(ops).reconcile(new FakeDb(stored));
          for (const table of ['sales', 'waste_events'] as const) {
            const { accepted, unanswered } = fates(ops, table);
            const result = results.find((candidate) => candidate.record === record(table));
            if (!ops.some((op) => op.table === table)) {
              expect(result).toBeUndefined();
              continue;
            }
            expect(result).toEqual({ record: record(table), expected: accepted.size, stored: accepted.size, duplicated: 0, refusedButStored: 0, unresolved: unanswered.size, missing: [] });
          }
        }),
      );
    });

    it('every extra copy in the database shows as a duplicate; refused events stored show as partial batches', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.array(fc.nat({ max: 3 }), { minLength: KEYS, maxLength: KEYS }), async (ops, copies) => {
          // Acknowledged and unanswered events stored 1 + copies[i] times, refused events stored copies[i] times.
          const stored: Stored = { sales: [], waste_events: [] };
          const expected = new Map<EventTable, { duplicated: number; refusedButStored: number }>();
          for (const table of ['sales', 'waste_events'] as const) {
            const { accepted, refusedOnly, unanswered } = fates(ops, table);
            const rows: EventRef[] = [];
            let duplicated = 0;
            let refusedButStored = 0;
            for (let index = 0; index < KEYS; index++) {
              const extra = copies[index] ?? 0;
              if (accepted.has(index) || (unanswered.has(index) && !refusedOnly.has(index))) {
                for (let n = 0; n <= extra; n++) rows.push(refOf(index));
                duplicated += extra;
              } else if (refusedOnly.has(index) && !unanswered.has(index)) {
                for (let n = 0; n < extra; n++) rows.push(refOf(index));
                if (extra > 0) refusedButStored++;
              }
            }
            stored[table] = rows;
            expected.set(table, { duplicated, refusedButStored });
          }
          const results = await replay(ops).reconcile(new FakeDb(stored));
          for (const table of ['sales', 'waste_events'] as const) {
            const result = results.find((candidate) => candidate.record === record(table));
            if (!ops.some((op) => op.table === table)) continue;
            const { accepted } = fates(ops, table);
            expect(result).toMatchObject({ expected: accepted.size, stored: accepted.size, ...expected.get(table) });
          }
        }),
      );
    });

    it('stored never exceeds expected, and the missing list names expected − stored events (at most five)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.uniqueArray(fc.nat({ max: KEYS - 1 })), async (ops, inDb) => {
          const rows = inDb.map(refOf);
          const results = await replay(ops).reconcile(new FakeDb({ sales: rows, waste_events: rows }));
          for (const result of results) {
            expect(result.stored).toBeLessThanOrEqual(result.expected);
            expect(result.missing).toHaveLength(Math.min(5, result.expected - result.stored));
          }
        }),
      );
    });
  });
});

describe(eventRefs.name, () => {
  it('reads the idempotency key and the event time of every event', () => {
    const body = {
      events: [
        { idempotencyKey: 'a', soldAt: '2026-03-01T10:00:00.000Z', quantity: 1 },
        { idempotencyKey: 'b', soldAt: '2026-03-01T11:00:00+01:00' },
      ],
    };
    expect(eventRefs(body, 'soldAt')).toEqual([
      { key: 'a', at: T0 },
      { key: 'b', at: T0 },
    ]);
  });

  it('reads the named time field only', () => {
    const body = { events: [{ idempotencyKey: 'w', wastedAt: '2026-03-01T10:00:00.000Z', soldAt: 'not a date' }] };
    expect(eventRefs(body, 'wastedAt')).toEqual([{ key: 'w', at: T0 }]);
    expect(eventRefs(body, 'soldAt')).toEqual([]);
  });

  it('skips events without a string key, without a string time or with a time that does not parse', () => {
    const body = {
      events: [
        null,
        7,
        { idempotencyKey: 1, soldAt: '2026-03-01T10:00:00.000Z' },
        { soldAt: '2026-03-01T10:00:00.000Z' },
        { idempotencyKey: 'a', soldAt: 1_772_359_200_000 },
        { idempotencyKey: 'b', soldAt: '2026-13-45T99:00:00Z' },
        { idempotencyKey: 'c', soldAt: '2026-03-01T10:00:00.000Z' },
      ],
    };
    expect(eventRefs(body, 'soldAt')).toEqual([{ key: 'c', at: T0 }]);
  });

  it.each([undefined, null, 'text', 42, [], {}, { events: {} }, { events: 'x' }])('finds no events in %p', (body) => {
    expect(eventRefs(body, 'soldAt')).toEqual([]);
  });
});
