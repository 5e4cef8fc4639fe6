import { Worker } from 'node:worker_threads';

/** What PGlite answers a statement with (the fields TypeORM reads). */
export interface EmbeddedResults {
  rows: unknown[];
  fields?: unknown[];
  command?: string;
  affectedRows?: number;
  rowCount?: number;
}

/** One PGlite session: in process (tests) or on its own thread (the built app). */
export interface EmbeddedSession {
  query(sql: string, params: unknown[]): Promise<EmbeddedResults>;
  /** Statements without parameters, several allowed; one result per statement. */
  exec(sql: string): Promise<EmbeddedResults[]>;
  close(): Promise<void>;
}

export interface PGliteThreadData {
  readonly dataDir: string | undefined;
}

export type PGliteThreadRequest =
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params: unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  | { readonly id: number; readonly op: 'close' };

/** A database error as it crosses threads: structured cloning keeps an Error's message only, not its SQLSTATE. */
export interface SerializedDatabaseError {
  readonly name: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
}

export type PGliteThreadReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedDatabaseError };

/** Keeps the error's plain fields (code, detail, constraint, table, column, …): what the API maps to problems. */
export function serializeDatabaseError(error: unknown): SerializedDatabaseError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

export function deserializeDatabaseError(serialized: SerializedDatabaseError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  return error;
}

/**
 * PGlite on its own thread. In process, PGlite runs its WebAssembly PostgreSQL on the API's event
 * loop: every journal insert (200 decision rows take ~25 ms) stalled price requests queued behind it,
 * and the database's work (~40 % of a cold request's CPU) could not use the second core. Here the
 * API thread only posts statements and awaits the answers. Statements run in the order sent, one at
 * a time, as on PGlite's single session; the pool above still serialises transactions.
 */
export class PGliteThread implements EmbeddedSession {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  /** `execArgv`: for the worker's sources under test (a TypeScript loader). */
  constructor(workerFile: string, data: PGliteThreadData, execArgv?: string[]) {
    this.worker = new Worker(workerFile, { workerData: data, ...(execArgv ? { execArgv } : {}) });
    // Idle, the thread does not keep the process alive; with a statement in flight it does.
    this.worker.unref();
    this.worker.on('message', (reply: PGliteThreadReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settled(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(deserializeDatabaseError(reply.error));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`its thread exited with code ${code}`)));
  }

  query(sql: string, params: unknown[]): Promise<EmbeddedResults> {
    return this.send({ op: 'query', sql, params }) as Promise<EmbeddedResults>;
  }

  exec(sql: string): Promise<EmbeddedResults[]> {
    return this.send({ op: 'exec', sql }) as Promise<EmbeddedResults[]>;
  }

  async close(): Promise<void> {
    if (this.failure === null) await this.send({ op: 'close' });
    await this.worker.terminate();
  }

  private send(request: { op: 'query'; sql: string; params: unknown[] } | { op: 'exec'; sql: string } | { op: 'close' }): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...request, id });
      } catch (error) {
        // A parameter that cannot be cloned (a function): refused here, the thread never sees it.
        this.settled(id);
        reject(error as Error);
      }
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(cause: Error): void {
    // The message is the one isDatabaseUnavailable knows: requests answer 503, the journal waits in its spool.
    this.failure ??= new Error(`embedded database unavailable: ${cause.message}`, { cause });
    for (const [id, waiting] of this.pending) {
      this.settled(id);
      waiting.reject(this.failure);
    }
  }
}
