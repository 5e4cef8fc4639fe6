import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { isDatabaseUnavailable, isRecordRefused } from './connection-errors';
import { PGliteThread } from './pglite-thread';

// The worker's TypeScript source, loaded through ts-node (the built app runs the compiled worker).
const WORKER_SOURCE = join(__dirname, 'pglite-worker.ts');
const TS_LOADER = ['-r', 'ts-node/register/transpile-only'];

const SCHEMA = `
  CREATE TABLE lines (id serial PRIMARY KEY, code char(3) NOT NULL UNIQUE, prices real[], detail jsonb, payload bytea, at timestamptz, amount numeric, active boolean);
  CREATE TABLE seen (n int)`;
const ROW = ['EUR', [1.5, 2.25], { reason: 'model', lines: [1, 2] }, Buffer.from('label'), new Date('2026-11-27T08:00:00.000Z'), '12.50', true];
const INSERT = 'INSERT INTO lines (code, prices, detail, payload, at, amount, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *';

describe(PGliteThread.name, () => {
  let thread: PGliteThread;

  beforeAll(() => {
    thread = new PGliteThread(WORKER_SOURCE, { dataDir: undefined }, [...process.execArgv, ...TS_LOADER]);
  });

  afterAll(async () => {
    await thread.close();
  });

  it('answers as PGlite in process does: the same rows, types and counts', async () => {
    await thread.exec(SCHEMA);
    const inProcess = await PGlite.create();
    try {
      await inProcess.exec(SCHEMA);
      const expected = await inProcess.query(INSERT, ROW);
      const actual = await thread.query(INSERT, ROW);
      expect(actual.rows).toEqual(expected.rows);
      expect(actual.rowCount).toBe(1);
      expect(actual.command).toBe('INSERT');
      const row = actual.rows[0] as { at: unknown; payload: unknown };
      // (A Date of the main realm, not of Jest's sandbox: instanceof cannot tell.)
      expect(Object.prototype.toString.call(row.at)).toBe('[object Date]');
      expect(Buffer.from(row.payload as Uint8Array).toString()).toBe('label');
    } finally {
      await inProcess.close();
    }
  });

  it('runs several statements in one exec, one result each', async () => {
    const results = await thread.exec('SELECT 1 AS one; SELECT 2 AS two');
    expect(results.map((result) => result.rows)).toEqual([[{ one: 1 }], [{ two: 2 }]]);
  });

  it('runs statements in the order they were sent, however many are in flight', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, n) => thread.query('INSERT INTO seen (n) VALUES ($1)', [n])));
    const { rows } = await thread.query('SELECT array_agg(n ORDER BY ctid) AS order FROM seen', []);
    expect((rows[0] as { order: number[] }).order).toEqual(Array.from({ length: 200 }, (_, n) => n));
  });

  it('keeps a refused statement’s SQLSTATE and fields, which the journal and the problem mapping read', async () => {
    const tooLong = await thread.query('INSERT INTO lines (code) VALUES ($1)', ['EURO']).catch((error: unknown) => error);
    expect(tooLong).toMatchObject({ code: '22001', message: 'value too long for type character(3)' });
    expect(isRecordRefused(tooLong)).toBe(true);
    const duplicate = await thread.query('INSERT INTO lines (code) VALUES ($1)', ['EUR']).catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 'lines_code_key', table: 'lines' });
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    // The session is still usable afterwards.
    expect((await thread.query('SELECT count(*)::int AS n FROM lines WHERE code = $1', ['EUR'])).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a parameter that cannot cross to the thread, and goes on answering', async () => {
    await expect(thread.query('SELECT $1::text AS value', [() => 'not data'])).rejects.toThrow(/could not be cloned/);
    expect((await thread.query('SELECT $1::text AS value', ['data'])).rows).toEqual([{ value: 'data' }]);
  });

  it('finishes what was sent before close, and answers "unavailable" after', async () => {
    const closing = new PGliteThread(WORKER_SOURCE, { dataDir: undefined }, [...process.execArgv, ...TS_LOADER]);
    const inFlight = closing.query('SELECT 42 AS answer', []);
    await closing.close();
    expect((await inFlight).rows).toEqual([{ answer: 42 }]);
    const later = await closing.query('SELECT 1', []).catch((error: unknown) => error);
    expect(isDatabaseUnavailable(later)).toBe(true);
  });

  it('answers "unavailable" when its thread dies, for statements in flight and later ones', async () => {
    const dying = new PGliteThread(WORKER_SOURCE, { dataDir: undefined }, [...process.execArgv, ...TS_LOADER]);
    await dying.exec('SELECT 1');
    const inFlight = dying.query('SELECT pg_sleep(5)', []).catch((error: unknown) => error);
    await (dying as unknown as { worker: Worker }).worker.terminate();
    expect(isDatabaseUnavailable(await inFlight)).toBe(true);
    const later = await dying.query('SELECT 1', []).catch((error: unknown) => error);
    expect(String((later as Error).message)).toMatch(/^embedded database unavailable: its thread exited/);
    await dying.close();
  });
});
