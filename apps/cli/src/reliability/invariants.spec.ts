import type { SqlRunner } from './api-instance';
import { checkInvariants, INVARIANTS } from './invariants';

/** Answers each invariant's query from a table of canned rows (by exact SQL), and records what it was asked. */
function fakeDb(answers: (sql: string) => Array<Record<string, unknown>>): SqlRunner & { asked: Array<{ sql: string; params: unknown[] | undefined }> } {
  const asked: Array<{ sql: string; params: unknown[] | undefined }> = [];
  return {
    asked,
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      asked.push({ sql, params });
      return answers(sql) as T[];
    },
    async close(): Promise<void> {
      // Nothing to close.
    },
  };
}

describe(checkInvariants.name, () => {
  it('asks each invariant once, in order, without parameters', async () => {
    const db = fakeDb(() => [{ n: '0' }]);
    await checkInvariants(db);
    expect(db.asked.map((query) => query.sql)).toEqual(INVARIANTS.map((invariant) => invariant.sql));
    expect(db.asked.every((query) => query.params === undefined)).toBe(true);
  });

  it('reports no offenders on a clean database', async () => {
    const results = await checkInvariants(fakeDb(() => [{ n: '0' }]));
    expect(results).toEqual(INVARIANTS.map((invariant) => ({ name: invariant.name, offenders: 0 })));
  });

  it('reads the count whether the driver returns it as a string (bigint) or a number', async () => {
    const duplicates = INVARIANTS.find((invariant) => invariant.name === 'no sale stored twice');
    const orphans = INVARIANTS.find((invariant) => invariant.name === 'every waste event has its store and SKU');
    const db = fakeDb((sql) => (sql === duplicates?.sql ? [{ n: '12' }] : sql === orphans?.sql ? [{ n: 3 }] : [{ n: 0 }]));
    const results = await checkInvariants(db);
    expect(results.filter((result) => result.offenders > 0)).toEqual([
      { name: 'every waste event has its store and SKU', offenders: 3 },
      { name: 'no sale stored twice', offenders: 12 },
    ]);
  });

  it('counts no offenders when a query returns no row', async () => {
    const results = await checkInvariants(fakeDb(() => []));
    expect(results.every((result) => result.offenders === 0)).toBe(true);
    expect(results).toHaveLength(INVARIANTS.length);
  });

  it('lets a failing query fail the check', async () => {
    const db = fakeDb((sql) => {
      if (sql.includes('audit_log')) throw new Error('relation "audit_log" does not exist');
      return [{ n: 0 }];
    });
    await expect(checkInvariants(db)).rejects.toThrow('audit_log');
  });
});

describe('INVARIANTS', () => {
  it('have distinct names', () => {
    expect(new Set(INVARIANTS.map((invariant) => invariant.name)).size).toBe(INVARIANTS.length);
  });

  it('each count their offenders in a column named n, as checkInvariants reads it', () => {
    for (const invariant of INVARIANTS) expect(invariant.sql).toMatch(/^SELECT count\(\*\) AS n FROM /);
  });

  it.each(['sales', 'waste_events', 'inventory_lots', 'price_overrides', 'price_decisions', 'price_requests', 'audit_log'])('cover the table %s', (table) => {
    expect(INVARIANTS.some((invariant) => new RegExp(`FROM ${table}\\b`).test(invariant.sql))).toBe(true);
  });
});
