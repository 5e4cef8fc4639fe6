import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableSpool, type DurableSpoolOptions, type SpoolBatch } from './durable-spool';

interface Row {
  id: number;
}

/** The rows of a batch, decoded the way the database decodes them (one JSON array). */
function rowsOf(batch: SpoolBatch): Row[] {
  return JSON.parse(`[${batch.lines.join(',')}]`) as Row[];
}

/** The folder's files once they match `expected` (segments are removed off the event loop), or after a second. */
async function filesOnceSettled(dir: string, expected: string[]): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const files = readdirSync(dir).sort();
    if (JSON.stringify(files) === JSON.stringify(expected)) return files;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return readdirSync(dir).sort();
}

const quietLogger = { log: (): void => undefined, warn: (): void => undefined, error: (): void => undefined };

/** What the database says about a value it will never take (SQLSTATE class 22/23), as opposed to an outage. */
class RefusedRecord extends Error {}

/** An insert that refuses every batch holding one of `refusedIds`, as a database refuses the whole statement. */
function refusing(refusedIds: readonly number[], stored: Row[], attempts: Row[][] = []): DurableSpoolOptions<Row>['insert'] {
  return async (batch) => {
    const rows = rowsOf(batch);
    attempts.push(rows);
    const refused = rows.find((row) => refusedIds.includes(row.id));
    if (refused) throw new RefusedRecord(`value out of range in row ${refused.id}`);
    stored.push(...rows);
  };
}

function spoolIn(dir: string, insert: DurableSpoolOptions<Row>['insert'], extra: Partial<DurableSpoolOptions<Row>> = {}): DurableSpool<Row> {
  return new DurableSpool<Row>({
    dir,
    name: 'rows',
    insert,
    logger: quietLogger,
    messages: { waiting: 'waiting', caughtUp: 'caught up', recovering: 'recovering', setAside: 'set aside' },
    flushIntervalMs: 60_000,
    maxBackoffMs: 0,
    maxBatchLines: 1_000,
    timeOf: (row) => 1_000 * row.id,
    isRefused: (error) => error instanceof RefusedRecord,
    ...extra,
  });
}

describe(DurableSpool.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dynaprice-spool-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes appended records to disk at once, and into the database in one batch on flush', async () => {
    const batches: Row[][] = [];
    const spool = spoolIn(dir, async (batch) => void batches.push(rowsOf(batch)));
    spool.start();
    spool.append([{ id: 1 }, { id: 2 }]);
    spool.append([{ id: 3 }]);
    expect(readdirSync(dir).filter((name) => name.startsWith('rows-'))).toHaveLength(1);
    expect(spool.backlog).toBe(3);
    await spool.flush();
    expect(batches).toEqual([[{ id: 1 }, { id: 2 }, { id: 3 }]]);
    expect(spool.backlog).toBe(0);
    expect(await filesOnceSettled(dir, [])).toEqual([]);
    await spool.stop();
  });

  it('a flush asked for while another runs also stores what was appended after that one began', async () => {
    const batches: Row[][] = [];
    let releaseFirst: () => void = () => undefined;
    const firstInsert = new Promise<void>((resolve) => (releaseFirst = resolve));
    const spool = spoolIn(dir, async (batch) => {
      if (batches.length === 0) await firstInsert;
      batches.push(rowsOf(batch));
    });
    spool.start();
    spool.append([{ id: 1 }]);
    const timerFlush = spool.flush();
    spool.append([{ id: 2 }]);
    const callerFlush = spool.flush();
    releaseFirst();
    await Promise.all([timerFlush, callerFlush]);
    expect(batches).toEqual([[{ id: 1 }], [{ id: 2 }]]);
    expect(spool.backlog).toBe(0);
    await spool.stop();
  });

  it('keeps records on disk while the database refuses, and hands them over once it answers', async () => {
    let down = true;
    const stored: Row[] = [];
    const spool = spoolIn(dir, async (batch) => {
      if (down) throw new Error('connection refused');
      stored.push(...rowsOf(batch));
    });
    spool.start();
    spool.append([{ id: 1 }]);
    await spool.flush();
    expect(spool.lastFlushError).toBe('connection refused');
    expect(spool.backlog).toBe(1);
    spool.append([{ id: 2 }]);
    down = false;
    await spool.flush();
    expect(stored).toEqual([{ id: 1 }, { id: 2 }]);
    expect(spool.lastFlushError).toBeNull();
    await spool.stop();
  });

  it('replays what an earlier process left on disk (a torn last line is dropped), and only its own files', async () => {
    const first = spoolIn(dir, async () => {
      throw new Error('database down');
    });
    first.start();
    first.append([{ id: 7 }, { id: 8 }]);
    await first.stop();
    const [left] = readdirSync(dir);
    writeFileSync(join(dir, left as string), '{"id": 9', { flag: 'a' });
    writeFileSync(join(dir, 'other-1.jsonl'), '{"id": 99}\n');

    const replayed: Row[] = [];
    const stored: Row[] = [];
    const second = spoolIn(dir, async (batch) => void stored.push(...rowsOf(batch)), { onReplay: (rows) => replayed.push(...rows) });
    second.start();
    expect(replayed).toEqual([{ id: 7 }, { id: 8 }]);
    await second.flush();
    expect(stored).toEqual([{ id: 7 }, { id: 8 }]);
    expect(await filesOnceSettled(dir, ['other-1.jsonl'])).toEqual(['other-1.jsonl']);
    await second.stop();
  });

  it('hands over at most maxBatchLines per insert, across segments and within one, with each record\'s time', async () => {
    const batches: SpoolBatch[] = [];
    const storedKeys: string[][] = [];
    const spool = spoolIn(dir, async (batch) => void batches.push(batch), {
      maxBatchLines: 3,
      keyOf: (row) => (row.id % 2 === 0 ? `even-${row.id}` : null),
      onStored: (keys) => storedKeys.push([...keys]),
    });
    spool.start();
    spool.append([{ id: 1 }, { id: 2 }]);
    await spool.flush();
    expect(batches.map(rowsOf)).toEqual([[{ id: 1 }, { id: 2 }]]);
    expect(batches[0]?.times).toEqual([1_000, 2_000]);

    // Two segments (the first sealed by a failed flush), the second larger than one batch.
    batches.length = 0;
    let down = true;
    const failing = spoolIn(join(dir, 'second'), async (batch) => {
      if (down) throw new Error('down');
      batches.push(batch);
    }, { maxBatchLines: 3, keyOf: (row) => `row-${row.id}`, onStored: (keys) => storedKeys.push([...keys]) });
    failing.start();
    failing.append([{ id: 10 }, { id: 11 }]);
    await failing.flush();
    failing.append([{ id: 12 }, { id: 13 }, { id: 14 }, { id: 15 }]);
    down = false;
    await failing.flush();
    expect(batches.map(rowsOf)).toEqual([[{ id: 10 }, { id: 11 }, { id: 12 }], [{ id: 13 }, { id: 14 }, { id: 15 }]]);
    expect(storedKeys).toEqual([['even-2'], ['row-10', 'row-11', 'row-12'], ['row-13', 'row-14', 'row-15']]);
    expect(failing.backlog).toBe(0);
    await Promise.all([spool.stop(), failing.stop()]);
    expect(await filesOnceSettled(join(dir, 'second'), [])).toEqual([]);
  });

  it('keeps a partly stored segment on disk until its last record is in', async () => {
    let calls = 0;
    const spool = spoolIn(dir, async () => {
      calls++;
      if (calls === 2) throw new Error('connection lost');
    }, { maxBatchLines: 2 });
    spool.start();
    spool.append([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await spool.flush();
    expect(spool.backlog).toBe(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('rows-'))).toHaveLength(1);
    await spool.flush();
    expect(spool.backlog).toBe(0);
    await spool.stop();
  });

  it('lets the event loop take a turn between batches (an embedded database inserts on this thread)', async () => {
    const events: string[] = [];
    const spool = spoolIn(dir, async (batch) => {
      events.push(`batch ${rowsOf(batch).map((row) => row.id).join(',')}`);
      setImmediate(() => events.push('turn'));
    }, { maxBatchLines: 1 });
    spool.start();
    spool.append([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await spool.flush();
    expect(events).toEqual(['batch 1', 'turn', 'batch 2', 'turn', 'batch 3']);
    await spool.stop();
  });

  it('sets a refused record aside, stores every other one in order, and finds it in few inserts', async () => {
    const stored: Row[] = [];
    const attempts: Row[][] = [];
    const left: string[] = [];
    const spool = spoolIn(dir, refusing([13], stored, attempts), { keyOf: (row) => `row-${row.id}`, onStored: (keys) => left.push(...keys) });
    spool.start();
    const rows = Array.from({ length: 64 }, (_, index) => ({ id: index + 1 }));
    spool.append(rows);
    await spool.flush();

    expect(stored).toEqual(rows.filter((row) => row.id !== 13));
    expect(left).toEqual(rows.map((row) => `row-${row.id}`));
    expect(spool.backlog).toBe(0);
    expect(spool.lastFlushError).toBeNull();
    // One failed try of the whole, then halves down to the record: 1 + 2·log2(64).
    expect(attempts.length).toBe(13);
    expect(spool.rejectedRecords()).toBe(1);
    const [rejectedFile] = readdirSync(join(dir, 'rejected'));
    expect(readFileSync(join(dir, 'rejected', rejectedFile as string), 'utf8')).toBe('{"id":13}\n');
    await spool.stop();
  });

  it('an outage while isolating a refused record keeps what went in, and retries the rest later', async () => {
    const stored: Row[] = [];
    const refuse13 = refusing([13], stored);
    let calls = 0;
    const spool = spoolIn(dir, async (batch) => {
      // The whole batch is refused, its first half (1–8) goes in, then the connection drops.
      if (++calls === 3) throw new Error('connection terminated');
      await refuse13(batch);
    });
    spool.start();
    const rows = Array.from({ length: 16 }, (_, index) => ({ id: index + 1 }));
    spool.append(rows);
    await spool.flush();
    expect(spool.lastFlushError).toBe('connection terminated');
    expect(stored).toEqual(rows.slice(0, 8));
    expect(spool.backlog).toBe(8);
    await spool.flush();
    expect(stored).toEqual(rows.filter((row) => row.id !== 13));
    expect(spool.backlog).toBe(0);
    expect(spool.rejectedRecords()).toBe(1);
    await spool.stop();
  });

  it('a set-aside record moved back into the folder is replayed at the next start', async () => {
    const first = spoolIn(dir, refusing([2], []));
    first.start();
    first.append([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await first.flush();
    await first.stop();
    expect(first.rejectedRecords()).toBe(1);

    // The cause is fixed; an operator moves the file back (the runbook's step).
    const [rejectedFile] = readdirSync(join(dir, 'rejected'));
    renameSync(join(dir, 'rejected', rejectedFile as string), join(dir, rejectedFile as string));
    const stored: Row[] = [];
    const second = spoolIn(dir, refusing([], stored));
    second.start();
    expect(second.rejectedRecords()).toBe(0);
    await second.flush();
    expect(stored).toEqual([{ id: 2 }]);
    await second.stop();
  });
});
