import { EventEmitter } from 'node:events';
import { PGliteDriver } from 'typeorm-pglite';
import { PGliteInstance } from 'typeorm-pglite/dist/pglite-instance';
import type { PGliteOptions } from '@electric-sql/pglite';
import { embeddedDatabaseFaults } from './embedded-faults';
import { compiledWorker } from '../common/compiled-worker';
import { PGliteThread, type EmbeddedResults, type EmbeddedSession } from './pglite-thread';

type QueryCallback = (error: Error | null, results: EmbeddedResults | null) => void;
type ConnectCallback = (error: Error | null, client: SerializedPGlitePool | null, release: (error?: Error) => void) => void;

/** How long a query may wait for the embedded database before failing (instead of hanging). */
const LOCK_WAIT_MS = 30_000;

/** PGlite in this process, through typeorm-pglite's process-wide instance. */
const inProcess: EmbeddedSession = {
  query: async (sql, params) => (await PGliteInstance.getInstance()).query(sql, params),
  exec: async (sql) => (await PGliteInstance.getInstance()).exec(sql),
  close: () => PGliteInstance.close(),
};

/**
 * The process-wide embedded database (PGlite is one session; a second instance on the same folder
 * would corrupt it): on its own thread when the compiled worker exists (the built app), in process
 * otherwise (tests run the TypeScript sources). Closed by the pool's `end`; the next connect opens it
 * again with the options registered last.
 */
let options: PGliteOptions = {};
let session: EmbeddedSession | null = null;

function embeddedSession(): EmbeddedSession {
  if (session === null) {
    const workerFile = compiledWorker(__filename, 'pglite-worker');
    session = workerFile === null ? inProcess : new PGliteThread(workerFile, { dataDir: options.dataDir });
  }
  return session;
}

/**
 * TypeORM's `pg` pool, backed by PGlite. PGlite is one PostgreSQL session per process: two
 * interleaved transactions would share it and commit each other's writes. This pool hands out that
 * session to one TypeORM query runner at a time (a pool of size one), so every transaction runs
 * alone, as on a real server.
 */
class SerializedPGlitePool extends EventEmitter {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  connect(callback: ConnectCallback): Promise<void> {
    if (embeddedDatabaseFaults.down) {
      callback(new Error('embedded database unavailable (fault injected)'), null, () => undefined);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        const index = this.waiting.indexOf(grant);
        if (index !== -1) this.waiting.splice(index, 1);
        callback(new Error(`embedded database busy for ${LOCK_WAIT_MS} ms`), null, () => undefined);
        resolve();
      }, LOCK_WAIT_MS);
      const grant = (): void => {
        clearTimeout(timer);
        if (timedOut) return;
        this.busy = true;
        let released = false;
        callback(null, this, () => {
          if (released) return;
          released = true;
          this.releaseNext();
        });
        resolve();
      };
      if (this.busy) this.waiting.push(grant);
      else grant();
    });
  }

  async query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<EmbeddedResults> {
    const done = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    try {
      // Without parameters a string may hold several statements (migrations): TypeORM reads the last result.
      const results = values.length > 0 ? await embeddedSession().query(sql, values) : ((await embeddedSession().exec(sql)).at(-1) ?? { rows: [] });
      done?.(null, results);
      return results;
    } catch (error) {
      done?.(error as Error, null);
      throw error;
    }
  }

  end(callback: (error: Error | null) => void): void {
    const closing = session;
    session = null;
    (closing ?? inProcess)
      .close()
      .then(() => callback(null))
      .catch((error: unknown) => callback(error as Error));
  }

  private releaseNext(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** The `driver` option for TypeORM's postgres dialect backed by PGlite in `dataDir`. */
export function serializedPGliteDriver(pgliteOptions: PGliteOptions): { Pool: typeof SerializedPGlitePool } {
  // Registers the options (and the boolean serializer) for the in-process instance; the thread registers its own.
  new PGliteDriver(pgliteOptions);
  options = pgliteOptions;
  return { Pool: SerializedPGlitePool };
}
