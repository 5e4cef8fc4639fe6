import autocannon from 'autocannon';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fargateCostPerThousand } from '@dynaprice/roi';
import { UsageError } from '../cli-error';
import { stringOption, type CliCommand, type CliIo, type OptionValues } from '../command';
import { dropSchema, freePort, startProcess, stopProcess } from '../api-process';
import { percentile } from '../bench/percentile';
import { processTreeCpuMs } from '../bench/process-cpu';
import { formatTable } from '../table';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const API_ENTRY = join(REPO, 'dist', 'apps', 'api', 'src', 'main.js');
const API_CLI_ENTRY = join(REPO, 'dist', 'apps', 'api', 'src', 'cli.js');
const BARE_ENTRY = join(__dirname, '..', 'bench', 'bare-server.js');
/** Fargate Linux/x86 list prices, us-east-1 (aws.amazon.com/fargate/pricing): override with --vcpu-hour / --gb-hour. */
const FARGATE = { vcpuHour: 0.04048, gbHour: 0.004445 };
const BASKET_SIZE = 20;
/** The floor target's route: authenticated and audited, answers who is calling, touches no database. */
const FLOOR_PATH = '/v1/auth/me';
const PACED_PAUSE_MS = 10_000;
/** Paced requests sent before the measured window: the client opens its connections in them. */
const PACED_WARMUP_SECONDS = 2;

interface Target {
  name: string;
  url: string;
  /** The ceiling this target is compared with. */
  ceiling: string | null;
  headers: Record<string, string>;
  /** GET without a body (the stack's floor); otherwise the basket is POSTed. */
  method?: 'GET';
  /** The serving process (with its workers), for its CPU time. */
  pid?: number;
}

interface Measurement {
  target: string;
  ceiling: string | null;
  /** Closed-loop clients, or 'paced' for the open-loop run. */
  connections: string;
  rate: string;
  requestsPerSecond: number;
  /** null: the paced client could not keep its own pace, so the latency would be its own. */
  p50: number | null;
  p99: number | null;
  errors: number;
  /** CPU milliseconds the serving processes used per answered request (closed-loop runs; null where unknown). */
  cpuMsPerRequest: number | null;
}

/** What a target is sent: the basket as a JSON POST, or a bare GET. */
function requestOf(target: Target, body: string): { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string } {
  return target.method === 'GET' ? { method: 'GET', headers: target.headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body };
}

/** Throughput of refused requests measures nothing: stop with the reason rather than print a number. */
async function refuseFailedRun(target: Target, body: string, errors: number, sent: number): Promise<void> {
  if (errors <= sent * 0.01) return;
  const response = await fetch(target.url, requestOf(target, body)).catch((error: unknown) => String(error));
  const reason = typeof response === 'string' ? response : `${response.status} ${(await response.text()).slice(0, 200)}`;
  throw new Error(`${target.name}: ${errors} of ${sent} requests failed (e.g. ${reason})`);
}

/** Closed-loop maximum throughput: `connections` clients, each sending its next request on an answer. */
async function measure(target: Target, body: string, connections: number, seconds: number): Promise<Measurement> {
  const cpuBefore = target.pid === undefined ? null : processTreeCpuMs(target.pid);
  const result = await autocannon({
    url: target.url,
    ...requestOf(target, body),
    connections,
    duration: seconds,
  });
  const cpuAfter = target.pid === undefined ? null : processTreeCpuMs(target.pid);
  const errors = result.errors + result.timeouts + result.non2xx;
  await refuseFailedRun(target, body, errors, result.requests.sent);
  const answered = result.requests.total - errors;
  return {
    target: target.name,
    ceiling: target.ceiling,
    connections: String(connections),
    rate: 'max',
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && answered > 0 ? (cpuAfter - cpuBefore) / answered : null,
  };
}

/**
 * Open-loop load at an even pace: a request every 1/rate s whether earlier ones answered or not, timed
 * from when it was due. (autocannon's rate limit releases each second's requests together, so its p99
 * measures its own bursts, not the service below saturation.) The first PACED_WARMUP_SECONDS at the
 * pace are not timed: the client opens its connections in them, and the first of thousands of sockets
 * a second measured the connection ramp (p99 66 ms where the rest of the run's was 41–47 ms, on the
 * warm path at 3,000 requests a second). When this client cannot keep the pace itself (thousands a
 * second), the latencies are its own: they are not reported.
 */
async function measurePaced(target: Target, body: string, rate: number, seconds: number): Promise<Measurement> {
  const url = new URL(target.url);
  // Bounded sockets: past its own pace the client would otherwise open sockets until the OS refuses them.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const { method, headers: requestHeaders } = requestOf(target, body);
  const payload = method === 'GET' ? null : Buffer.from(body);
  const headers = payload === null ? requestHeaders : { ...requestHeaders, 'content-length': String(payload.length) };
  const latencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  const total = Math.max(1, Math.round(rate * seconds));
  const warmup = Math.round(rate * PACED_WARMUP_SECONDS);
  let errors = 0;
  let lateSends = 0;
  const send = (due: number, measured: boolean): Promise<void> =>
    new Promise((resolve) => {
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method, headers, agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === undefined || response.statusCode >= 300) errors++;
          else if (measured) latencies.push(performance.now() - due);
          resolve();
        });
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(payload ?? undefined);
    });
  const warmupStart = performance.now();
  const start = warmupStart + PACED_WARMUP_SECONDS * 1000;
  for (let index = -warmup; index < total; index++) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (wait < -5 && index >= 0) lateSends++;
    pending.push(send(due, index >= 0));
  }
  await Promise.all(pending);
  agent.destroy();
  const elapsedSeconds = (performance.now() - start) / 1000;
  const kept = lateSends <= total * 0.05;
  // A client that could not keep its pace measured itself: its latencies are not reported, nor judged.
  if (kept) await refuseFailedRun(target, body, errors, warmup + total);
  latencies.sort((a, b) => a - b);
  return {
    target: target.name,
    ceiling: target.ceiling,
    connections: 'paced',
    rate: `${rate}/s`,
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50: kept ? percentile(latencies, 0.5) : null,
    p99: kept ? percentile(latencies, 0.99) : null,
    errors,
    cpuMsPerRequest: null,
  };
}

export const benchPricesCommand: CliCommand = {
  name: 'bench-prices',
  summary: 'benchmark POST /v1/prices (cold and warm path) against bare node:http ceilings; `npm run bench:prices`',
  usage: `dynaprice bench-prices [--duration S] [--database-url URL] [--key KEY] [--small] [--vcpu-hour USD] [--gb-hour USD]

  Starts the API on a fresh embedded database (and on PostgreSQL when --database-url is given or
  DATABASE_URL is set), then runs autocannon with a ${BASKET_SIZE}-SKU basket at 1 and 32 connections for
  --duration seconds (default 20) each, on: the cold path (DECISION_REUSE=false: every line
  re-scored), the warm path (decisions reused), the API's floor (GET ${FLOOR_PATH}: the cheapest
  authenticated, audited call, no pricing), a bare node:http server doing the same model work
  (the cold ceiling) and a bare node:http server answering stored decisions with the API's fields
  (the warm ceiling, also the floor's); then p50 / p99 at half of each target's maximum
  throughput, with requests sent at an even pace (open loop, timed from when each was due; the
  first ${PACED_WARMUP_SECONDS} s at the pace not timed) after a 10 s pause for the overload's backlog to drain.
  Prints req/s, p50, p99, ratio to the ceiling, the serving process's CPU time per request
  (from /proc; the ceiling's over it is its share per core) and the cost per 1,000 requests of one
  1 vCPU / 2 GB Fargate task at the measured throughput. A target whose run fails (over 1 % of
  requests refused) is reported and the command fails after printing the others. Retraining is
  off in the measured APIs (RETRAIN_ON_DRIFT, RETRAIN_NIGHTLY, RETRAIN_WORKER = false): the
  benchmark's traffic drifts, and a retraining mid-run measures the training, not the hot path.
  --key  API key sent as X-API-Key (default: the demo POS key, env DYNAPRICE_API_KEY)
  --small  a 2-store demo retailer (faster start)
`,
  options: {
    duration: { type: 'string' },
    'database-url': { type: 'string' },
    key: { type: 'string' },
    small: { type: 'boolean' },
    'vcpu-hour': { type: 'string' },
    'gb-hour': { type: 'string' },
  },
  async run({ values }, io) {
    await benchPrices(values, io);
  },
};

function positive(values: OptionValues, name: string, fallback: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

async function benchPrices(values: OptionValues, io: CliIo): Promise<void> {
  const seconds = positive(values, 'duration', 20);
  const pricing = { vcpuHour: positive(values, 'vcpu-hour', FARGATE.vcpuHour), gbHour: positive(values, 'gb-hour', FARGATE.gbHour) };
  const databaseUrl = stringOption(values, 'database-url') ?? process.env['DATABASE_URL'];
  const key = stringOption(values, 'key') ?? process.env['DYNAPRICE_API_KEY'] ?? DEMO_POS_KEY;
  const size = values['small'] === true ? { stores: 2, skusPerCategory: 30, historyDays: 56 } : { stores: 5, skusPerCategory: 30, historyDays: 56 };
  // Retraining off: one store's 20 SKUs over and over drift from the training data within a minute, and the
  // retraining that queues would take a core for ~20 s and swap the champion in the middle of a run.
  const demoEnv = {
    RATE_LIMIT_POS_PER_MINUTE: '100000000',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RETRAIN_ON_DRIFT: 'false',
    RETRAIN_NIGHTLY: 'false',
    RETRAIN_WORKER: 'false',
    DEMO_STORES: String(size.stores),
    DEMO_SKUS_PER_CATEGORY: String(size.skusPerCategory),
    DEMO_HISTORY_DAYS: String(size.historyDays),
  };
  const today = new Date().toISOString().slice(0, 10);
  const headers = { 'x-api-key': key };
  const children: ChildProcess[] = [];
  const folders: string[] = [];
  const schemas: string[] = [];
  const measurements: Measurement[] = [];
  const failures: string[] = [];
  const bodyFor = (codes: string[]): string => JSON.stringify({ storeId: 'S01', items: codes.slice(0, BASKET_SIZE).map((skuCode) => ({ skuCode })) });

  try {
    // The embedded API: seeded once, then restarted on the same data with reuse off for the cold path.
    const dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-bench-'));
    folders.push(dataDir);
    const targets: Array<Target & { start: () => Promise<ChildProcess> }> = [];
    // The floor: the cheapest authenticated call (who am I), through the same hooks as a price call
    // (authentication, permission, audit record, metrics, secure headers) and nothing else.
    const apiTarget = (name: string, ceiling: string, env: Record<string, string>, targetHeaders = headers, route: 'prices' | 'floor' = 'prices'): Target & { start: () => Promise<ChildProcess> } => {
      const target = { name, url: '', ceiling, headers: targetHeaders, ...(route === 'floor' ? { method: 'GET' as const } : {}), start: async () => {
        const port = await freePort();
        target.url = `http://127.0.0.1:${port}${route === 'floor' ? FLOOR_PATH : '/v1/prices'}`;
        return startProcess([API_ENTRY], { LOG_LEVEL: 'warn', PORT: String(port), ...demoEnv, ...env }, `http://127.0.0.1:${port}/health/ready`, io);
      } };
      return target;
    };
    const bareTarget = (mode: 'cold' | 'warm'): Target & { start: () => Promise<ChildProcess> } => {
      const target = { name: `bare node:http (${mode === 'cold' ? 'same model work' : 'stored decisions'})`, url: '', ceiling: null, headers: {}, start: async () => {
        const port = await freePort();
        target.url = `http://127.0.0.1:${port}/`;
        return startProcess([BARE_ENTRY, mode, String(port), today, String(size.stores), String(size.skusPerCategory), String(size.historyDays)], {}, null, io);
      } };
      return target;
    };
    const coldCeiling = bareTarget('cold');
    const warmCeiling = bareTarget('warm');
    targets.push(
      // DATABASE_URL emptied: the PostgreSQL server of this shell is for the targets below only.
      apiTarget('API on PGlite, warm (reused decisions)', warmCeiling.name, { DATA_DIR: dataDir, DATABASE_URL: '', DECISION_REUSE: 'true' }),
      apiTarget('API on PGlite, cold (every line scored)', coldCeiling.name, { DATA_DIR: dataDir, DATABASE_URL: '', DECISION_REUSE: 'false' }),
      apiTarget(`API on PGlite, floor (GET ${FLOOR_PATH}, no pricing)`, warmCeiling.name, { DATA_DIR: dataDir, DATABASE_URL: '' }, headers, 'floor'),
    );
    if (databaseUrl) {
      const schema = `bench_${Date.now()}`;
      schemas.push(schema);
      const pgEnv = { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DEMO_SEED: 'true', CUSTOMER_ID_HMAC_KEY: 'bench-only-customer-hmac-key-000000000', SPOOL_DIR: join(dataDir, 'pg-spool') };
      // Demo credentials are embedded-only: a PostgreSQL deployment's first key comes from the API's CLI.
      const created = spawnSync(process.execPath, [API_CLI_ENTRY, 'api-keys', 'create', '--name', 'bench-prices', '--role', 'pos'], {
        env: { ...process.env, ...pgEnv, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
      const pgKey = created.stdout.trim();
      if (created.status !== 0 || !pgKey) throw new Error(`dynaprice api-keys create on PostgreSQL failed: ${created.stderr.trim()}`);
      const pgHeaders = { 'x-api-key': pgKey };
      targets.push(
        apiTarget('API on PostgreSQL, warm (reused decisions)', warmCeiling.name, { ...pgEnv, DECISION_REUSE: 'true' }, pgHeaders),
        apiTarget('API on PostgreSQL, warm, 2 workers', warmCeiling.name, { ...pgEnv, DECISION_REUSE: 'true', WORKERS: '2' }, pgHeaders),
        apiTarget('API on PostgreSQL, cold (every line scored)', coldCeiling.name, { ...pgEnv, DECISION_REUSE: 'false' }, pgHeaders),
        apiTarget('API on PostgreSQL, cold, 2 workers', coldCeiling.name, { ...pgEnv, DECISION_REUSE: 'false', WORKERS: '2' }, pgHeaders),
      );
    }
    targets.push(coldCeiling, warmCeiling);

    let skuCodes: string[] | null = null;
    for (const target of targets) {
      const child = await target.start();
      children.push(child);
      target.pid = child.pid;
      if (!skuCodes) {
        const response = await fetch(new URL('/v1/skus?limit=1000', target.url), { headers });
        if (!response.ok) throw new Error(`GET /v1/skus answered ${response.status}: is the API key right? (--key)`);
        skuCodes = ((await response.json()) as { items: Array<{ code: string }> }).items.map((sku) => sku.code);
      }
      const body = bodyFor(skuCodes);
      io.stderr.write(`measuring ${target.name} …\n`);
      try {
        await measure(target, body, 4, 3); // warm-up: JIT, the store's state, the first decisions
        const peaks: Measurement[] = [];
        for (const connections of [1, 32]) peaks.push(await measure(target, body, connections, seconds));
        measurements.push(...peaks);
        const best = Math.max(...peaks.map((m) => m.requestsPerSecond));
        // The overload run leaves a journal backlog behind: let it drain, so the paced run measures the steady state.
        await new Promise((resolve) => setTimeout(resolve, PACED_PAUSE_MS));
        measurements.push(await measurePaced(target, body, Math.max(1, Math.floor(best / 2)), seconds));
      } catch (error) {
        // One refused run does not discard the others' numbers: they are printed, and the command fails after.
        failures.push(error instanceof Error ? error.message : String(error));
        io.stderr.write(`${failures[failures.length - 1]}\n`);
      }
      await stopProcess(child);
    }
  } finally {
    await Promise.all(children.map(stopProcess));
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    // The shared database keeps no benchmark data (each run inserts hundreds of thousands of decisions).
    for (const schema of schemas) await dropSchema(databaseUrl as string, schema).catch((error: unknown) => io.stderr.write(`schema ${schema} not dropped: ${String(error)}\n`));
  }

  const peak = (name: string): number => Math.max(...measurements.filter((m) => m.target === name && m.rate === 'max').map((m) => m.requestsPerSecond));
  const cpuAtPeak = (name: string, connections: string): number | null => measurements.find((m) => m.target === name && m.connections === connections)?.cpuMsPerRequest ?? null;
  const rows = measurements.map((m) => {
    const ceiling = m.ceiling;
    const cost = m.rate === 'max' && m.requestsPerSecond > 0 ? fargateCostPerThousand({ requestsPerSecondPerTask: m.requestsPerSecond, vcpu: 1, memoryGb: 2, pricing }).costPerThousandRequests : null;
    return [
      m.target,
      m.connections,
      m.rate,
      m.requestsPerSecond.toFixed(0),
      m.p50 === null ? 'client-bound' : `${m.p50.toFixed(1)} ms`,
      m.p99 === null ? 'client-bound' : `${m.p99.toFixed(1)} ms`,
      ceiling && m.rate === 'max' && Number.isFinite(peak(ceiling)) ? `${((m.requestsPerSecond / peak(ceiling)) * 100).toFixed(0)} %` : '',
      m.cpuMsPerRequest === null ? '' : `${m.cpuMsPerRequest.toFixed(2)} ms`,
      ceilingCpuShare(m, ceiling === null ? null : cpuAtPeak(ceiling, m.connections)),
      cost === null ? '' : `$${cost.toFixed(6)}`,
      String(m.errors),
    ];
  });
  io.stdout.write(
    `POST /v1/prices, ${BASKET_SIZE}-SKU basket, ${seconds} s per run, ${size.stores} stores; Fargate $${pricing.vcpuHour}/vCPU-h, $${pricing.gbHour}/GB-h (1 vCPU, 2 GB task)\n\n` +
      formatTable(['target', 'conns', 'rate', 'req/s', 'p50', 'p99', 'of ceiling', 'CPU / req', 'of ceiling per CPU', 'cost / 1k req', 'errors'], rows) +
      `\nfloor: GET ${FLOOR_PATH} through the same hooks as a price call (authentication, permission, audit record, metrics,\n` +
      'secure headers) and no pricing: the share of the warm ceiling an authenticated call reaches before any work of its own.\n' +
      'CPU / req: user + system time of the serving process (and its workers) per answered request, from /proc; the database\n' +
      'server and the load generator are not in it. "of ceiling per CPU": the ceiling\'s CPU per request over this one, at the\n' +
      'same connections: the share of the ceiling\'s throughput per core, whatever else shares the machine\'s cores.\n',
  );
  if (failures.length > 0) throw new Error(`${failures.length} target(s) not measured:\n${failures.join('\n')}`);
}

/** The ceiling's CPU per request over the target's, at the same connection count ('' where either is unknown). */
function ceilingCpuShare(measurement: Measurement, ceilingCpuMs: number | null): string {
  if (measurement.cpuMsPerRequest === null || ceilingCpuMs === null || measurement.cpuMsPerRequest <= 0) return '';
  return `${((ceilingCpuMs / measurement.cpuMsPerRequest) * 100).toFixed(0)} %`;
}

/** The demo retailer's POS key (README): the embedded demo seeds it. */
const DEMO_POS_KEY = 'dp_demo_pos_DemoOnlyNotSecret';
