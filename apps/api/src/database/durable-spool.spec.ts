import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableSpool, type DurableSpoolOptions } from './durable-spool';

interface Row {
  id: number;
}

const quietLogger = { log: (): void => undefined, warn: (): void => undefined };

function spoolIn(dir: string, insert: DurableSpoolOptions<Row>['insert'], extra: Partial<DurableSpoolOptions<Row>> = {}): DurableSpool<Row> {
  return new DurableSpool<Row>({
    dir,
    name: 'rows',
    insert,
    logger: quietLogger,
    messages: { waiting: 'waiting', caughtUp: 'caught up', recovering: 'recovering' },
    flushIntervalMs: 60_000,
    maxBackoffMs: 0,
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
    const spool = spoolIn(dir, async (rows) => void batches.push([...rows]));
    spool.start();
    spool.append([{ id: 1 }, { id: 2 }]);
    spool.append([{ id: 3 }]);
    expect(readdirSync(dir).filter((name) => name.startsWith('rows-'))).toHaveLength(1);
    expect(spool.backlog).toBe(3);
    await spool.flush();
    expect(batches).toEqual([[{ id: 1 }, { id: 2 }, { id: 3 }]]);
    expect(spool.backlog).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    await spool.stop();
  });

  it('a flush asked for while another runs also stores what was appended after that one began', async () => {
    const batches: Row[][] = [];
    let releaseFirst: () => void = () => undefined;
    const firstInsert = new Promise<void>((resolve) => (releaseFirst = resolve));
    const spool = spoolIn(dir, async (rows) => {
      if (batches.length === 0) await firstInsert;
      batches.push([...rows]);
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
    const spool = spoolIn(dir, async (rows) => {
      if (down) throw new Error('connection refused');
      stored.push(...rows);
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
    const second = spoolIn(dir, async (rows) => void stored.push(...rows), { onReplay: (rows) => replayed.push(...rows) });
    second.start();
    expect(replayed).toEqual([{ id: 7 }, { id: 8 }]);
    await second.flush();
    expect(stored).toEqual([{ id: 7 }, { id: 8 }]);
    expect(readdirSync(dir)).toEqual(['other-1.jsonl']);
    await second.stop();
  });
});
