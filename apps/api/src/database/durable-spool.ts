import type { LoggerService } from '@nestjs/common';
import { close, closeSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlink, unlinkSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What one insert receives: records as JSON text (one per record, in append order) with their times. */
export interface SpoolBatch {
  readonly lines: readonly string[];
  /** `timeOf` of each line's record (ms since the epoch), same order. */
  readonly times: readonly number[];
}

export interface DurableSpoolOptions<E> {
  /** Folder of the segment files (created if missing). */
  dir: string;
  /** Segment files are `<name>-<pid>-<ms>-<seq>.jsonl`; only files with this prefix are replayed. */
  name: string;
  /**
   * Log lines: while the database cannot be written to, once it took the backlog, when an earlier
   * process left segments, and when the database refused a record itself (set aside).
   */
  messages: { waiting: string; caughtUp: string; recovering: string; setAside: string };
  /** When a record happened (ms): the insert creates the partitions it needs from these. */
  timeOf(entry: E): number;
  /** A record's key for `onStored` (null: not reported). */
  keyOf?(entry: E): string | null;
  /** Writes one batch; throws if the database did not take it (the batch is retried). Must be idempotent. */
  insert(batch: SpoolBatch): Promise<void>;
  /**
   * Whether an insert error means the database refused the records themselves (a value or constraint
   * it will refuse every time), not that it could not be reached: the batch is then split to find the
   * refused records, the others go in, and each refused one is set aside in `<dir>/rejected/`.
   */
  isRefused(error: unknown): boolean;
  /** Called with the keys of records that have left the spool: in the database, or set aside as refused. */
  onStored?(keys: readonly string[]): void;
  /** Called with the records of segments left on disk by an earlier process, before they are retried. */
  onReplay?(entries: readonly E[], lines: readonly string[]): void;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  /** Most records one insert receives (an embedded database spends ~0.125 ms per decision row). */
  maxBatchLines: number;
  flushIntervalMs?: number;
  maxBackoffMs?: number;
}

/**
 * Appends to one segment file off the event loop (libuv's thread pool), one write at a time: what is
 * appended while a write is under way goes out together in the next one (group commit), and each
 * append resolves once its own bytes are in the file.
 */
class SegmentWriter {
  private chunks: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly fd: number) {}

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.chunks.push(text);
      this.waiters.push({ resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for the queued writes, then fsyncs and closes the file (a failed fsync leaves the data to the OS). */
  async close(): Promise<void> {
    while (this.draining) await this.draining;
    await new Promise<void>((resolve) => fsync(this.fd, () => close(this.fd, () => resolve())));
  }

  private async drain(): Promise<void> {
    while (this.chunks.length > 0) {
      const bytes = Buffer.from(this.chunks.join(''));
      const waiters = this.waiters;
      this.chunks = [];
      this.waiters = [];
      try {
        for (let offset = 0; offset < bytes.length; ) {
          offset += await new Promise<number>((resolve, reject) => write(this.fd, bytes, offset, bytes.length - offset, null, (error, written) => (error ? reject(error) : resolve(written))));
        }
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.draining = null;
  }
}

interface Segment {
  file: string;
  /** Null for a segment left on disk by an earlier process (only read). */
  writer: SegmentWriter | null;
  lines: string[];
  times: number[];
  keys: Array<string | null>;
  /** Lines already in the database (a segment larger than one batch goes in several). */
  stored: number;
}

/**
 * Records that must reach the database but not on the response path: each append is one write to a
 * local segment file (survives a killed process), and a timer moves sealed segments into the
 * database in batches. While the database is unreachable, segments wait on disk (with backoff) and
 * are replayed when it returns, also after a restart. Inserts must ignore rows that already exist,
 * so a crash between insert and clean-up writes nothing twice. A record the database refuses itself
 * (a value or constraint, not the connection) is set aside in `<dir>/rejected/` rather than retried
 * forever in front of everything behind it. Used by the decision journal and the audit log.
 *
 * Records are kept as the JSON text written to disk, not as objects: under load thousands wait for
 * their insert, and flat strings cost the garbage collector far less than object graphs; the insert
 * hands the same text to the database (one JSON parameter, no re-encoding).
 */
export class DurableSpool<E> {
  private active: Segment | null = null;
  /**
   * The closing of sealed segments (last writes, fsync, close), one after another: a slow disk then
   * holds one of libuv's four pool threads with an fsync, not all of them, and appends keep going.
   */
  private closing: Promise<void> = Promise.resolve();
  private readonly sealed: Segment[] = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushAgain: Promise<void> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastError: string | null = null;
  private readonly startedAt = Date.now();

  constructor(private readonly options: DurableSpoolOptions<E>) {}

  /** Queues what an earlier process left on disk and starts the flush timer. */
  start(): void {
    mkdirSync(this.options.dir, { recursive: true });
    this.replaySegmentsOnDisk();
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  /** Stops the timer and makes a last attempt; what the database does not take stays on disk. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.nextAttemptAt = 0;
    await this.flush().catch(() => undefined);
    this.seal();
    await this.closing;
  }

  /**
   * Appends records: queues them for the database at once, and returns their JSON lines and a promise
   * that resolves once they are written to the segment file (answer only then: a killed process
   * loses nothing that was answered).
   */
  append(entries: readonly E[]): { lines: readonly string[]; written: Promise<void> } {
    if (entries.length === 0) return { lines: [], written: Promise.resolve() };
    const segment = this.activeSegment();
    const lines = entries.map((entry) => JSON.stringify(entry));
    const written = (segment.writer as SegmentWriter).write(lines.join('\n') + '\n');
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as E;
      segment.lines.push(lines[index] as string);
      segment.times.push(this.options.timeOf(entry));
      segment.keys.push(this.options.keyOf?.(entry) ?? null);
    }
    return { lines, written };
  }

  /** Records waiting for the database. */
  get backlog(): number {
    return this.sealed.reduce((sum, segment) => sum + segment.lines.length - segment.stored, 0) + (this.active?.lines.length ?? 0);
  }

  /** The last insert error, or null once a batch went through. */
  get lastFlushError(): string | null {
    return this.lastError;
  }

  /** Moves everything written so far into the database; resolves when done (or when it failed). */
  flush(): Promise<void> {
    if (this.flushing) {
      // The flush under way sealed its segments before the latest appends: run once more after it.
      this.flushAgain ??= this.flushing.then(() => {
        this.flushAgain = null;
        return this.flush();
      });
      return this.flushAgain;
    }
    this.flushing = this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (Date.now() < this.nextAttemptAt) return;
    if (this.active && this.active.lines.length > 0) this.seal();
    for (let batches = 0; this.sealed.length > 0; batches++) {
      // Between batches, whatever waits on the event loop runs first: an embedded database inserts on
      // this thread, and its promise resolves without giving requests a turn.
      if (batches > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.insertOrIsolate(this.nextBatch());
      } catch (error) {
        this.failures++;
        this.nextAttemptAt = Date.now() + Math.min(this.options.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(this.failures, 6));
        const message = error instanceof Error ? error.message : String(error);
        if (this.lastError !== message) this.options.logger.warn({ msg: this.options.messages.waiting, backlog: this.backlog, error: message });
        this.lastError = message;
        return;
      }
      if (this.failures > 0) this.options.logger.log({ msg: this.options.messages.caughtUp, backlog: this.backlog });
      this.failures = 0;
      this.lastError = null;
    }
  }

  /**
   * Inserts the batch and marks it stored. When the database refuses records of it (not the
   * connection), halves are tried in order until each refused record is alone, and that one is set
   * aside: one bad record costs about 2·log2(batch) inserts, and holds nothing else back. Any other
   * error is thrown, with what went in before it marked stored.
   */
  private async insertOrIsolate(batch: SpoolBatch): Promise<void> {
    try {
      await this.options.insert(batch);
    } catch (error) {
      if (!this.options.isRefused(error)) throw error;
      if (batch.lines.length === 1) {
        this.setAside(batch.lines[0] as string, error);
      } else {
        const half = Math.ceil(batch.lines.length / 2);
        await this.insertOrIsolate({ lines: batch.lines.slice(0, half), times: batch.times.slice(0, half) });
        await this.insertOrIsolate({ lines: batch.lines.slice(half), times: batch.times.slice(half) });
        return;
      }
    }
    this.markStored(batch.lines.length);
  }

  /**
   * Keeps a refused record, as written, in `<dir>/rejected/` (fsynced, since it leaves the segment):
   * nothing accepted is lost, and a record moved back into `<dir>` after the cause is fixed is
   * replayed at the next start.
   */
  private setAside(line: string, error: unknown): void {
    const folder = this.rejectedDir;
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${this.options.name}-${process.pid}-${this.startedAt}.jsonl`);
    const fd = openSync(file, 'a');
    try {
      writeSync(fd, line + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.options.logger.error({ msg: this.options.messages.setAside, file, error: error instanceof Error ? error.message : String(error), record: line.slice(0, 500) });
  }

  /** Records set aside as refused and still in `<dir>/rejected/` (also those of earlier processes). */
  rejectedRecords(): number {
    let records = 0;
    let files: string[];
    try {
      files = readdirSync(this.rejectedDir);
    } catch {
      return 0;
    }
    for (const name of files) {
      if (!name.endsWith('.jsonl')) continue;
      try {
        records += readFileSync(join(this.rejectedDir, name), 'utf8').split('\n').filter((line) => line.trim()).length;
      } catch {
        // Moved away by an operator while we read: no longer ours to count.
      }
    }
    return records;
  }

  private get rejectedDir(): string {
    return join(this.options.dir, 'rejected');
  }

  /** The oldest records not yet stored, up to maxBatchLines, across segments. */
  private nextBatch(): SpoolBatch {
    const lines: string[] = [];
    const times: number[] = [];
    for (const segment of this.sealed) {
      const upTo = Math.min(segment.lines.length, segment.stored + this.options.maxBatchLines - lines.length);
      for (let index = segment.stored; index < upTo; index++) {
        lines.push(segment.lines[index] as string);
        times.push(segment.times[index] as number);
      }
      if (lines.length >= this.options.maxBatchLines) break;
    }
    return { lines, times };
  }

  /** The first `count` waiting records are in the database: report them, and drop finished segments. */
  private markStored(count: number): void {
    let remaining = count;
    const keys: string[] = [];
    while (remaining > 0 && this.sealed.length > 0) {
      const segment = this.sealed[0] as Segment;
      const upTo = Math.min(segment.lines.length, segment.stored + remaining);
      for (let index = segment.stored; index < upTo; index++) {
        const key = segment.keys[index];
        if (key !== null && key !== undefined) keys.push(key);
      }
      remaining -= upTo - segment.stored;
      segment.stored = upTo;
      if (segment.stored < segment.lines.length) break;
      this.sealed.shift();
      // Already gone is fine: nothing to replay. A crash before this unlink replays rows the database ignores.
      unlink(segment.file, () => undefined);
    }
    if (keys.length > 0) this.options.onStored?.(keys);
  }

  private activeSegment(): Segment {
    if (this.active) return this.active;
    const file = join(this.options.dir, `${this.options.name}-${process.pid}-${Date.now()}-${String(this.sequence++).padStart(6, '0')}.jsonl`);
    this.active = { file, writer: new SegmentWriter(openSync(file, 'a')), lines: [], times: [], keys: [], stored: 0 };
    return this.active;
  }

  /**
   * Queues the active segment for the database and closes its file once its writes are done. The
   * fsync runs on libuv's thread pool, not on the event loop: each write is already in the OS (a
   * killed process loses nothing), the fsync covers a machine that loses power.
   */
  private seal(): void {
    const segment = this.active;
    this.active = null;
    if (!segment) return;
    const writer = segment.writer as SegmentWriter;
    this.closing = this.closing.then(async () => {
      await writer.close();
      if (segment.lines.length === 0) unlink(segment.file, () => undefined);
    });
    if (segment.lines.length > 0) this.sealed.push(segment);
  }

  /** Segments left by an earlier process (crash, kill, database down at shutdown) are queued first. */
  private replaySegmentsOnDisk(): void {
    const files = readdirSync(this.options.dir)
      .filter((name) => name.startsWith(`${this.options.name}-`) && name.endsWith('.jsonl'))
      .sort();
    let replayed = 0;
    for (const name of files) {
      const file = join(this.options.dir, name);
      const segment: Segment = { file, writer: null, lines: [], times: [], keys: [], stored: 0 };
      const entries: E[] = [];
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let entry: E;
        try {
          entry = JSON.parse(line) as E;
        } catch {
          // A torn last line: the process died mid-write, before answering that request.
          continue;
        }
        entries.push(entry);
        segment.lines.push(line);
        segment.times.push(this.options.timeOf(entry));
        segment.keys.push(this.options.keyOf?.(entry) ?? null);
      }
      if (entries.length === 0) {
        unlinkSync(file);
        continue;
      }
      this.options.onReplay?.(entries, segment.lines);
      this.sealed.push(segment);
      replayed += entries.length;
    }
    if (replayed > 0) this.options.logger.log({ msg: this.options.messages.recovering, records: replayed, segments: this.sealed.length });
  }
}
