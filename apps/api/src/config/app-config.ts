import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { loadModelsConfig, type ModelsConfig } from '../models/models-config';
import { loadSecurityConfig, type SecurityConfig } from '../auth/security-config';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every setting of the API, read once from the environment at boot. Nothing else reads process.env. */
export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL server; unset means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | null;
  /** PostgreSQL schema for every table (tests use one fresh schema per suite). */
  databaseSchema: string;
  /** Folder of the embedded database (`pglite/`) and its generated secrets; `memory://` keeps it all in memory (tests). */
  dataDir: string;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Create the demo retailer on an empty database. Default: on in embedded mode, off with DATABASE_URL. */
  seedDemo: boolean;
  /** Size of the demo retailer (smaller ones make quick tests and simulations). */
  demo: { stores: number; skusPerCategory: number; historyDays: number; randomSeed: number };
  currency: string;
  /** Folder of the built console served at `/`, if present. */
  consoleDir: string;
  /**
   * Key of the HMAC that replaces customer ids. Required with DATABASE_URL; in embedded mode a key is
   * generated once and kept in the data folder when this is unset.
   */
  customerHashKey: string | null;
  /** Where decisions wait, on disk, until the database has them (default DATA_DIR/spool). */
  spoolDir: string;
  /** Model time budget per request: past it, SKUs get the legacy price with reason 'fallback'. */
  modelTimeoutMs: number;
  /** The market simulator's mode: the clock is set through /v1/admin/clock instead of following real time. */
  simulatedClock: boolean;
  /** Where the simulated clock starts (Unix ms); null: the real time at start. */
  clockStart: number | null;
  /** Reuse a decision while nothing that priced it changed (SPEC §5.7). Off re-scores every line (benchmarks, diagnosis). */
  decisionReuse: boolean;
  /** A second port serving only GET /metrics without credentials, for a scraper inside the task; null: off. */
  metricsPort: number | null;
  /** Processes serving HTTP (node:cluster), one per core is the rule; > 1 needs DATABASE_URL. */
  workers: number;
  /** This process's worker number (set by the cluster primary): its journal lives in spool/worker-N. */
  workerIndex: number;
  /** Model registry, artifact store, drift monitoring and retraining (apps/api/src/models/models-config.ts). */
  models: ModelsConfig;
  /** Sign-in, API keys, OIDC, rate limits, CORS, proxies, timeouts, audit retention (apps/api/src/auth/security-config.ts). */
  security: SecurityConfig;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got ${JSON.stringify(env[name])}`);
}

function readInstant(env: Env, name: string): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const time = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time)) throw new ConfigError(name, `must be an ISO date-time such as 2026-06-01T05:00:00Z, got ${JSON.stringify(raw)}`);
  return time;
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env['DATABASE_URL']?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return raw;
}

/** Validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const databaseUrl = readDatabaseUrl(env);
  const logLevel = (env['LOG_LEVEL']?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env['LOG_LEVEL'])}`);
  const schema = env['DATABASE_SCHEMA']?.trim() || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError('DATABASE_SCHEMA', 'must be a lower-case SQL identifier');
  const currency = env['CURRENCY']?.trim() || 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError('CURRENCY', `must be an ISO 4217 code such as USD, got ${JSON.stringify(currency)}`);
  const dataDir = env['DATA_DIR']?.trim() || './data';
  const workers = env['WORKERS']?.trim() === 'auto' ? (databaseUrl ? availableParallelism() : 1) : readInt(env, 'WORKERS', 1, 1, 64);
  if (workers > 1 && databaseUrl === null) throw new ConfigError('WORKERS', 'above 1 needs DATABASE_URL: the embedded database is one process');
  const customerHashKey = env['CUSTOMER_ID_HMAC_KEY']?.trim() || null;
  if (customerHashKey !== null && customerHashKey.length < 32) throw new ConfigError('CUSTOMER_ID_HMAC_KEY', 'must be at least 32 characters');
  if (customerHashKey === null && databaseUrl !== null) {
    throw new ConfigError('CUSTOMER_ID_HMAC_KEY', 'is required with DATABASE_URL (customer ids are stored only as an HMAC with this key)');
  }
  const host = env['HOST']?.trim() || '0.0.0.0';
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const metricsPort = env['METRICS_PORT']?.trim() ? readInt(env, 'METRICS_PORT', 0, 1, 65535) : null;
  if (metricsPort !== null && metricsPort === port) throw new ConfigError('METRICS_PORT', 'must differ from PORT: it serves only /metrics, without credentials');

  return {
    port,
    host,
    databaseUrl,
    databaseSchema: schema,
    dataDir: dataDir.startsWith('memory://') || isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    logLevel,
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    seedDemo: readBool(env, 'DEMO_SEED', databaseUrl === null),
    demo: {
      stores: readInt(env, 'DEMO_STORES', 5, 1, 500),
      skusPerCategory: readInt(env, 'DEMO_SKUS_PER_CATEGORY', 30, 1, 1000),
      historyDays: readInt(env, 'DEMO_HISTORY_DAYS', 56, 14, 730),
      randomSeed: readInt(env, 'DEMO_RANDOM_SEED', 7, 0, 2_147_483_647),
    },
    currency,
    consoleDir: resolve(cwd, env['CONSOLE_DIR']?.trim() || 'apps/console/dist'),
    customerHashKey,
    // Each cluster worker replays only its own journal: spool/worker-N.
    spoolDir: join(
      env['SPOOL_DIR']?.trim()
        ? resolve(cwd, env['SPOOL_DIR'].trim())
        : dataDir.startsWith('memory://')
          ? resolve(tmpdir(), `dynaprice-spool-${process.pid}-${randomBytes(4).toString('hex')}`)
          : join(isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir), 'spool'),
      workers > 1 ? `worker-${readInt(env, 'WORKER_INDEX', 0, 0, 63)}` : '',
    ),
    modelTimeoutMs: readInt(env, 'MODEL_TIMEOUT_MS', 250, 1, 60_000),
    simulatedClock: readBool(env, 'SIMULATED_CLOCK', false),
    clockStart: readInstant(env, 'CLOCK_START'),
    decisionReuse: readBool(env, 'DECISION_REUSE', true),
    workers,
    metricsPort,
    workerIndex: readInt(env, 'WORKER_INDEX', 0, 0, 63),
    models: loadModelsConfig(env, { dataDir, databaseUrl, simulatedClock: readBool(env, 'SIMULATED_CLOCK', false), cwd }),
    security: loadSecurityConfig(env),
  };
}

/** Test and tooling helper: a config with overrides, validated like the real one. */
export function configFor(overrides: Env, cwd?: string): AppConfig {
  return loadConfig(overrides, cwd);
}
