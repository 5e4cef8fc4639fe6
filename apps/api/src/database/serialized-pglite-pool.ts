import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import type { PGliteOptions } from '@electric-sql/pglite';
import { embeddedDatabaseFaults } from './embedded-faults';

type ConnectCallback = (error: Error | null, client: PGlitePool | null, release: (error?: Error) => void) => void;

/** How long a query may wait for the embedded database before failing (instead of hanging). */
const LOCK_WAIT_MS = 30_000;

/**
 * PGlite is one PostgreSQL session per process: two interleaved transactions would share it and
 * commit each other's writes. This pool hands out that session to one TypeORM query runner at a
 * time (a pool of size one), so every transaction runs alone, as on a real server.
 */
class SerializedPGlitePool extends PGlitePool {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  override connect(callback: ConnectCallback): Promise<void> {
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
        void super.connect((error, client) => {
          callback(error as Error | null, client, () => {
            if (released) return;
            released = true;
            this.releaseNext();
          });
          resolve();
        });
      };
      if (this.busy) this.waiting.push(grant);
      else grant();
    });
  }

  private releaseNext(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** The `driver` option for TypeORM's postgres dialect backed by PGlite in `dataDir`. */
export function serializedPGliteDriver(options: PGliteOptions): { Pool: typeof SerializedPGlitePool } {
  // Registers the options (and the boolean serializer) for the process-wide PGlite instance.
  new PGliteDriver(options);
  return { Pool: SerializedPGlitePool };
}
