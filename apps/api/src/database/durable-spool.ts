import type { LoggerService } from '@nestjs/common';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DurableSpoolOptions<E> {
  /** Folder of the segment files (created if missing). */
  dir: string;
  /** Segment files are `<name>-<pid>-<ms>-<seq>.jsonl`; only files with this prefix are replayed. */
  name: string;
  /** Log lines: while the database refuses, once it took the backlog, and when an earlier process left segments. */
  messages: { waiting: string; caughtUp: string; recovering: string };
  /** Writes one batch; throws if the database did not take it (the batch is retried). Must be idempotent. */
  insert(entries: readonly E[]): Promise<void>;
  /** Called once a batch is in the database. */
  onStored?(entries: readonly E[]): void;
  /** Called with the entries of segments left on disk by an earlier process, before they are retried. */
  onReplay?(entries: readonly E[]): void;
  logger: Pick<LoggerService, 'log' | 'warn'>;
  flushIntervalMs?: number;
  maxBackoffMs?: number;
}

interface Segment<E> {
  file: string;
  entries: E[];
}

/**
 * Records that must reach the database but not on the response path: each append is one write to a
 * local segment file (survives a killed process), and a timer moves sealed segments into the
 * database in batches. While the database is unreachable, segments wait on disk (with backoff) and
 * are replayed when it returns, also after a restart. Inserts must ignore rows that already exist,
 * so a crash between insert and clean-up writes nothing twice. Used by the decision journal and the
 * audit log.
 */
export class DurableSpool<E> {
  private activeFd: number | null = null;
  private active: Segment<E> | null = null;
  private readonly sealed: Array<Segment<E>> = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushAgain: Promise<void> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastError: string | null = null;

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
    this.closeActive();
  }

  /** Appends records; returns once they are written to the segment file. */
  append(entries: readonly E[]): void {
    if (entries.length === 0) return;
    const segment = this.activeSegment();
    writeSync(this.activeFd as number, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    segment.entries.push(...entries);
  }

  /** Records waiting for the database. */
  get backlog(): number {
    return this.sealed.reduce((sum, segment) => sum + segment.entries.length, 0) + (this.active?.entries.length ?? 0);
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
    if (this.active && this.active.entries.length > 0) this.closeActive();
    while (this.sealed.length > 0) {
      const segment = this.sealed[0] as Segment<E>;
      try {
        await this.options.insert(segment.entries);
      } catch (error) {
        this.failures++;
        this.nextAttemptAt = Date.now() + Math.min(this.options.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(this.failures, 6));
        const message = error instanceof Error ? error.message : String(error);
        if (this.lastError !== message) this.options.logger.warn({ msg: this.options.messages.waiting, backlog: this.backlog, error: message });
        this.lastError = message;
        return;
      }
      this.sealed.shift();
      this.options.onStored?.(segment.entries);
      try {
        unlinkSync(segment.file);
      } catch {
        // Already gone: nothing to replay.
      }
      if (this.failures > 0) this.options.logger.log({ msg: this.options.messages.caughtUp, backlog: this.backlog });
      this.failures = 0;
      this.lastError = null;
    }
  }

  private activeSegment(): Segment<E> {
    if (this.active && this.activeFd !== null) return this.active;
    const file = join(this.options.dir, `${this.options.name}-${process.pid}-${Date.now()}-${String(this.sequence++).padStart(6, '0')}.jsonl`);
    this.activeFd = openSync(file, 'a');
    this.active = { file, entries: [] };
    return this.active;
  }

  private closeActive(): void {
    if (this.activeFd !== null) {
      try {
        fsyncSync(this.activeFd);
      } finally {
        closeSync(this.activeFd);
      }
    }
    if (this.active && this.active.entries.length > 0) this.sealed.push(this.active);
    else if (this.active) unlinkSync(this.active.file);
    this.active = null;
    this.activeFd = null;
  }

  /** Segments left by an earlier process (crash, kill, database down at shutdown) are queued first. */
  private replaySegmentsOnDisk(): void {
    const files = readdirSync(this.options.dir)
      .filter((name) => name.startsWith(`${this.options.name}-`) && name.endsWith('.jsonl'))
      .sort();
    let replayed = 0;
    for (const name of files) {
      const file = join(this.options.dir, name);
      const entries: E[] = [];
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          entries.push(JSON.parse(line) as E);
        } catch {
          // A torn last line: the process died mid-write, before answering that request.
        }
      }
      if (entries.length === 0) {
        unlinkSync(file);
        continue;
      }
      this.options.onReplay?.(entries);
      this.sealed.push({ file, entries });
      replayed += entries.length;
    }
    if (replayed > 0) this.options.logger.log({ msg: this.options.messages.recovering, records: replayed, segments: this.sealed.length });
  }
}
