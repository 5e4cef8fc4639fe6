import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { databaseMode } from './database/data-source-options';

/** Restarts of a crashing worker are spaced out so a broken deploy does not spin. */
const WORKER_RESTART_DELAY_MS = 1_000;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`dynaprice-api: invalid configuration: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function serve(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  if (cluster.isWorker && process.env['WORKER_INDEX'] !== '0') return;
  const url = `http://localhost:${config.port}`;
  const where = databaseMode(config) === 'embedded' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  const workers = config.workers > 1 ? `, ${config.workers} workers` : '';
  console.error(`dynaprice-api listening on ${url} (database: ${where}${workers}); API docs at ${url}/docs`);
}

/**
 * ONNX Runtime keeps the event loop busy for a whole model call, so a process scales with cores by
 * running one worker per core (WORKERS), never by concurrency inside one process. Workers share the
 * port (node:cluster) and the PostgreSQL database; each keeps its own journal folder. The embedded
 * database is one process, so WORKERS > 1 requires DATABASE_URL (checked in the configuration).
 */
function supervise(config: AppConfig): void {
  const byIndex = new Map<number, number>();
  const fork = (index: number): void => {
    const worker = cluster.fork({ WORKER_INDEX: String(index) });
    byIndex.set(worker.id, index);
  };
  cluster.on('exit', (worker, code, signal) => {
    const index = byIndex.get(worker.id);
    byIndex.delete(worker.id);
    if (index === undefined || shuttingDown) return;
    console.error(`dynaprice-api: worker ${index} exited (${signal ?? code}); restarting`);
    setTimeout(() => fork(index), WORKER_RESTART_DELAY_MS);
  });
  let shuttingDown = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shuttingDown = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    });
  }
  for (let index = 0; index < config.workers; index++) fork(index);
}

const config = readConfig();
if (cluster.isPrimary && config.workers > 1) {
  supervise(config);
} else {
  serve(config).catch((error: unknown) => {
    console.error(`dynaprice-api: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
