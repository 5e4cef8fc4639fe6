import { parentPort, workerData } from 'node:worker_threads';
import { PGliteDriver } from 'typeorm-pglite';
import { PGliteInstance } from 'typeorm-pglite/dist/pglite-instance';
import { serializeDatabaseError, type PGliteThreadData, type PGliteThreadReply, type PGliteThreadRequest } from './pglite-thread';

/**
 * The embedded database's own thread (see PGliteThread): owns the PGlite instance and answers the
 * API thread's statements one message at a time, in the order they were sent.
 */
const { dataDir } = workerData as PGliteThreadData;
// The same options (boolean serializer included) as the in-process driver.
new PGliteDriver({ dataDir });

async function answer(request: PGliteThreadRequest): Promise<PGliteThreadReply> {
  try {
    const database = await PGliteInstance.getInstance();
    switch (request.op) {
      case 'query':
        return { id: request.id, ok: true, result: await database.query(request.sql, request.params) };
      case 'exec':
        return { id: request.id, ok: true, result: await database.exec(request.sql) };
      case 'close':
        await PGliteInstance.close();
        return { id: request.id, ok: true, result: null };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: serializeDatabaseError(error) };
  }
}

// PGlite runs one statement at a time anyway; a chain keeps the replies in order. Nothing in a link
// may reject: a rejected link would skip every statement after it.
let previous: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: PGliteThreadRequest) => {
  previous = previous.then(async () => {
    const reply = await answer(request);
    try {
      parentPort?.postMessage(reply);
    } catch (error) {
      // A result that cannot be cloned to the API thread: the statement ran, its answer cannot travel.
      parentPort?.postMessage({ id: request.id, ok: false, error: serializeDatabaseError(error) } satisfies PGliteThreadReply);
    }
  });
});
