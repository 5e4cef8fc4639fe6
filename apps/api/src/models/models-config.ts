import { DEFAULT_PROTECTED_ATTRIBUTES, normaliseAttributeName } from '@dynaprice/gbdt';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../config/app-config';

export type ArtifactStoreKind = 'database' | 'file' | 's3';
const ARTIFACT_STORES: readonly ArtifactStoreKind[] = ['database', 'file', 's3'];

export interface S3StoreConfig {
  bucket: string;
  /** Key prefix inside the bucket (no leading slash, ends with `/` when set). */
  prefix: string;
  region: string;
  /** Custom endpoint (S3-compatible stores, tests): path-style requests. Null: `https://s3.<region>.amazonaws.com`, virtual-hosted style. */
  endpoint: string | null;
  /** Static credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), when set. */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  sessionToken: string | null;
  /** ECS / Fargate task-role credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI). */
  containerCredentialsUrl: string | null;
  containerAuthorizationToken: string | null;
}

/** Settings of the model registry, drift monitoring and retraining (validated with the rest at boot). */
export interface ModelsConfig {
  /** Largest ONNX file accepted by upload (MODEL_MAX_BYTES, default 64 MiB). */
  maxUploadBytes: number;
  /** Where artifacts live: in the database (embedded default), a folder, or S3 (when MODEL_BUCKET is set). */
  artifactStore: ArtifactStoreKind;
  /** Folder of the `file` store (MODEL_ARTIFACT_DIR, default DATA_DIR/artifacts). */
  artifactDir: string;
  s3: S3StoreConfig | null;
  /** Feature names refused at upload and training (PROTECTED_ATTRIBUTES, comma list; default the fairness list). */
  protectedAttributes: readonly string[];
  drift: {
    /** PSI above this is drift (DRIFT_PSI_THRESHOLD, default 0.2). */
    psiThreshold: number;
    /** Rolling window, in hours of business time (DRIFT_WINDOW_HOURS, default 24). */
    windowHours: number;
    /** Fewer live rows than this in the window: no verdict (DRIFT_MIN_ROWS, default 500). */
    minRows: number;
    /** How often windows are evaluated, the metric updated and drift raised (DRIFT_CHECK_INTERVAL_MS, default 60 s). */
    checkIntervalMs: number;
  };
  retraining: {
    /** Queue one run per night (RETRAIN_NIGHTLY; default on, off with SIMULATED_CLOCK). */
    nightly: boolean;
    /** Time of the nightly run, UTC business time, HH:MM (RETRAIN_NIGHTLY_AT, default 02:00). */
    nightlyAtMinute: number;
    /** Queue a run when a served model drifts (RETRAIN_ON_DRIFT; default on, off with SIMULATED_CLOCK). */
    onDrift: boolean;
    /** This instance executes queued runs (RETRAIN_WORKER, default on). */
    worker: boolean;
    /** How often the queue is polled (RETRAIN_POLL_MS, default 5 s). */
    pollMs: number;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > min && value <= max)) throw new ConfigError(name, `must be a number in (${min}, ${max}], got ${JSON.stringify(raw)}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got ${JSON.stringify(env[name])}`);
}

function url(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL, got ${JSON.stringify(raw)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(name, `must be an http(s) URL, got ${parsed.protocol}//`);
  return raw.replace(/\/+$/, '');
}

function s3Config(env: Env): S3StoreConfig | null {
  const bucket = text(env, 'MODEL_BUCKET');
  if (bucket === undefined) return null;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('MODEL_BUCKET', `is not a valid S3 bucket name: ${JSON.stringify(bucket)}`);
  const region = text(env, 'MODEL_BUCKET_REGION') ?? text(env, 'AWS_REGION') ?? text(env, 'AWS_DEFAULT_REGION');
  if (region === undefined) throw new ConfigError('AWS_REGION', 'is required with MODEL_BUCKET (or set MODEL_BUCKET_REGION)');
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) && region !== 'us-east-1') throw new ConfigError('AWS_REGION', `is not an AWS region: ${JSON.stringify(region)}`);
  const rawPrefix = (text(env, 'MODEL_BUCKET_PREFIX') ?? 'models/').replace(/^\/+/, '');
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const accessKeyId = text(env, 'AWS_ACCESS_KEY_ID') ?? null;
  const secretAccessKey = text(env, 'AWS_SECRET_ACCESS_KEY') ?? null;
  if ((accessKeyId === null) !== (secretAccessKey === null)) throw new ConfigError(accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID', 'must be set together with its pair');
  const relative = text(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
  const containerCredentialsUrl = relative ? `http://169.254.170.2${relative.startsWith('/') ? '' : '/'}${relative}` : url(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  if (accessKeyId === null && containerCredentialsUrl === null) {
    throw new ConfigError('AWS_ACCESS_KEY_ID', 'or a task role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) is required with MODEL_BUCKET');
  }
  return {
    bucket,
    prefix,
    region,
    endpoint: url(env, 'MODEL_S3_ENDPOINT'),
    accessKeyId,
    secretAccessKey,
    sessionToken: text(env, 'AWS_SESSION_TOKEN') ?? null,
    containerCredentialsUrl,
    containerAuthorizationToken: text(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN') ?? null,
  };
}

/**
 * Reads the models settings. `dataDir` and `databaseUrl` are the validated values of DATA_DIR and
 * DATABASE_URL: artifacts default to the database in embedded mode, to S3 with MODEL_BUCKET, and to a
 * folder otherwise.
 */
export function loadModelsConfig(env: Env, context: { dataDir: string; databaseUrl: string | null; simulatedClock: boolean; cwd: string }): ModelsConfig {
  const s3 = s3Config(env);
  const defaultStore: ArtifactStoreKind = s3 ? 's3' : context.databaseUrl ? 'file' : 'database';
  const store = (text(env, 'MODEL_ARTIFACT_STORE')?.toLowerCase() ?? defaultStore) as ArtifactStoreKind;
  if (!ARTIFACT_STORES.includes(store)) throw new ConfigError('MODEL_ARTIFACT_STORE', `must be one of ${ARTIFACT_STORES.join(', ')}, got ${JSON.stringify(env['MODEL_ARTIFACT_STORE'])}`);
  if (store === 's3' && !s3) throw new ConfigError('MODEL_BUCKET', 'is required with MODEL_ARTIFACT_STORE=s3');
  const dir = text(env, 'MODEL_ARTIFACT_DIR');
  // Content-addressed files: in-memory test databases may share one temporary folder safely.
  const artifactDir = dir
    ? resolve(context.cwd, dir)
    : context.dataDir.startsWith('memory://')
      ? join(tmpdir(), 'dynaprice-model-artifacts')
      : join(isAbsolute(context.dataDir) ? context.dataDir : resolve(context.cwd, context.dataDir), 'artifacts');

  const rawProtected = text(env, 'PROTECTED_ATTRIBUTES');
  const protectedAttributes = rawProtected === undefined ? [...DEFAULT_PROTECTED_ATTRIBUTES] : rawProtected.split(',').map(normaliseAttributeName).filter((name) => name.length > 0);
  if (rawProtected !== undefined && protectedAttributes.length === 0) throw new ConfigError('PROTECTED_ATTRIBUTES', 'must list at least one attribute name');

  const nightlyAt = text(env, 'RETRAIN_NIGHTLY_AT') ?? '02:00';
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(nightlyAt);
  if (!time) throw new ConfigError('RETRAIN_NIGHTLY_AT', `must be HH:MM (UTC), got ${JSON.stringify(nightlyAt)}`);

  return {
    maxUploadBytes: int(env, 'MODEL_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    artifactStore: store,
    artifactDir,
    s3,
    protectedAttributes,
    drift: {
      psiThreshold: decimal(env, 'DRIFT_PSI_THRESHOLD', 0.2, 0, 10),
      windowHours: int(env, 'DRIFT_WINDOW_HOURS', 24, 1, 24 * 90),
      minRows: int(env, 'DRIFT_MIN_ROWS', 500, 1, 100_000_000),
      checkIntervalMs: int(env, 'DRIFT_CHECK_INTERVAL_MS', 60_000, 100, 24 * 3_600_000),
    },
    retraining: {
      // A simulation plays a day in seconds: retraining every simulated night is opt-in there.
      nightly: bool(env, 'RETRAIN_NIGHTLY', !context.simulatedClock),
      nightlyAtMinute: Number(time[1]) * 60 + Number(time[2]),
      onDrift: bool(env, 'RETRAIN_ON_DRIFT', !context.simulatedClock),
      worker: bool(env, 'RETRAIN_WORKER', true),
      pollMs: int(env, 'RETRAIN_POLL_MS', 5_000, 50, 3_600_000),
    },
  };
}
