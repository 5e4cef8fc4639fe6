import type { TestProject } from 'vitest/node';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS_DIR, WORKSPACE_ROOT } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The API, serving the built console at `/`. */
    baseUrl: string;
  }
}

/** The small demo retailer (2 stores, 30 SKUs, 28 days): seeds and trains in seconds. */
const SMALL_DEMO = { DEMO_SEED: 'true', DEMO_STORES: '2', DEMO_SKUS_PER_CATEGORY: '6', DEMO_HISTORY_DAYS: '28' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(script: string): void {
  // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle: test what ships.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: WORKSPACE_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (exit ${result.status})`);
}

async function waitUntilReady(baseUrl: string, api: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode} before it was ready:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API was not ready after ${timeoutMs / 1000} s:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
}

/**
 * The real API on a fresh PGlite database (small demo seed), serving the console build — what
 * `npm start` runs. Builds both first unless E2E_SKIP_BUILD=1 (the workspace was just built).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['E2E_SKIP_BUILD'] !== '1') {
    run('build');
    run('build:console');
  }
  const consoleDir = join(WORKSPACE_ROOT, 'apps', 'console', 'dist');
  if (!existsSync(join(consoleDir, 'index.html'))) throw new Error(`no console build in ${consoleDir}: run npm run build:console`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = join(ARTIFACTS_DIR, 'api.log');
  const log = createWriteStream(logFile);
  const api = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...SMALL_DEMO, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', CONSOLE_DIR: consoleDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout?.pipe(log);
  api.stderr?.pipe(log);
  const stop = async () => {
    if (api.exitCode === null) {
      api.kill('SIGTERM');
      await Promise.race([new Promise((resolve) => api.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (api.exitCode === null) api.kill('SIGKILL');
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(baseUrl, api, logFile, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  return stop;
}
