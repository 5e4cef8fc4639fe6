import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { dropSchema, freePort } from '../api-process';
import { HttpClient, isFailure, jsonOf } from './http';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const API_ENTRY = join(REPO, 'dist', 'apps', 'api', 'src', 'main.js');
const API_CLI_ENTRY = join(REPO, 'dist', 'apps', 'api', 'src', 'cli.js');

export type DatabaseKind = 'postgres' | 'pglite';
export const ROLES = ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The small demo retailer (2 stores, 30 SKUs, 28 days of history): seeds and trains in seconds. */
const SMALL_DEMO = { DEMO_SEED: 'true', DEMO_STORES: '2', DEMO_SKUS_PER_CATEGORY: '6', DEMO_HISTORY_DAYS: '28' };
const HMAC_KEY = 'reliability-only-customer-hmac-key-000000';

export interface InstanceOptions {
  kind: DatabaseKind;
  /** A name for the folder and schema (`fuzz`, `kill`, …). */
  label: string;
  /** Parent folder of the instance's data, spool and log. */
  workRoot: string;
  /** PostgreSQL server (kind postgres). */
  databaseUrl?: string;
  /** Extra environment of the API process. */
  env?: Record<string, string>;
}

export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Reads VmRSS of a process (bytes), or null when /proc is not there. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * One API process on its own database (a fresh PostgreSQL schema or PGlite folder), its own decision
 * journal folder and log file, seeded with the small demo retailer, with an API key per role. It can
 * be stopped, killed with SIGKILL and started again on the same data.
 */
export class ApiInstance {
  readonly workDir: string;
  readonly spoolDir: string;
  readonly logFile: string;
  readonly schema: string;
  readonly keys = new Map<Role, string>();
  port = 0;
  private child: ChildProcess | null = null;
  /** Where the API itself connects (a TCP proxy in the outage scenario). */
  apiDatabaseUrl: string | undefined;
  starts = 0;

  constructor(readonly options: InstanceOptions) {
    this.workDir = join(options.workRoot, `${options.kind}-${options.label}`);
    rmSync(this.workDir, { recursive: true, force: true });
    mkdirSync(this.workDir, { recursive: true });
    this.spoolDir = join(this.workDir, 'spool');
    this.logFile = join(this.workDir, 'api.log');
    this.schema = `rel_${options.label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
    this.apiDatabaseUrl = options.databaseUrl;
  }

  get kind(): DatabaseKind {
    return this.options.kind;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private env(): Record<string, string> {
    const common: Record<string, string> = {
      PORT: String(this.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SPOOL_DIR: this.spoolDir,
      JWT_SECRET: 'reliability-only-jwt-secret-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_POS_PER_MINUTE: '100000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
      LOGIN_MAX_FAILURES: '1000',
      ...SMALL_DEMO,
    };
    const database: Record<string, string> =
      this.kind === 'postgres'
        ? { DATABASE_URL: this.apiDatabaseUrl ?? '', DATABASE_SCHEMA: this.schema, CUSTOMER_ID_HMAC_KEY: HMAC_KEY, DATA_DIR: join(this.workDir, 'data') }
        : { DATA_DIR: join(this.workDir, 'data') };
    return { ...common, ...database, ...this.options.env };
  }

  /** First start: provisions the database and the keys, then boots the API. */
  async provision(): Promise<void> {
    this.port = await freePort();
    if (this.kind === 'postgres') {
      // The first admin of a PostgreSQL deployment comes from the API's CLI (demo credentials are embedded-only).
      const run = spawnSync(process.execPath, [API_CLI_ENTRY, 'api-keys', 'create', '--name', 'reliability admin', '--role', 'admin'], {
        env: { ...process.env, DATABASE_URL: this.options.databaseUrl ?? '', DATABASE_SCHEMA: this.schema, CUSTOMER_ID_HMAC_KEY: HMAC_KEY, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
      const key = run.stdout.trim();
      if (run.status !== 0 || !key) throw new Error(`dynaprice api-keys create failed: ${run.stderr.trim()}`);
      this.keys.set('admin', key);
    } else {
      for (const role of ROLES) this.keys.set(role, `dp_demo_${role.replace(/-/g, '_')}_DemoOnlyNotSecret`);
    }
    await this.start();
    if (this.kind === 'postgres') {
      const client = new HttpClient(this.url);
      try {
        for (const role of ROLES.filter((candidate) => candidate !== 'admin')) {
          const response = await client.send({
            method: 'POST',
            url: '/v1/api-keys',
            headers: { 'content-type': 'application/json', 'x-api-key': this.key('admin') },
            body: JSON.stringify({ name: `reliability ${role}`, role }),
          });
          const key = (jsonOf(response) as { key?: string } | undefined)?.key;
          if (isFailure(response) || response.status !== 201 || !key) throw new Error(`POST /v1/api-keys for ${role} answered ${response.status}`);
          this.keys.set(role, key);
        }
      } finally {
        client.close();
      }
    }
  }

  key(role: Role): string {
    const key = this.keys.get(role);
    if (!key) throw new Error(`no API key for ${role}`);
    return key;
  }

  /** Starts the API on the instance's data and waits for /health/ready. */
  async start(timeoutMs = 180_000): Promise<void> {
    if (this.running) return;
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [API_ENTRY], { env: { ...process.env, ...this.env() }, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.starts++;
    const deadline = Date.now() + timeoutMs;
    const client = new HttpClient(this.url, 1);
    try {
      for (;;) {
        if (!this.running) throw new Error(`the API exited (${child.exitCode ?? child.signalCode}) before it was ready: ${this.lastLogLine()}`);
        const response = await client.send({ method: 'GET', url: '/health/ready', timeoutMs: 2_000 });
        if (!isFailure(response) && response.status === 200) return;
        if (Date.now() > deadline) throw new Error(`the API was not ready after ${timeoutMs / 1000} s: ${this.lastLogLine()}`);
        await sleep(200);
      }
    } finally {
      client.close();
    }
  }

  /** SIGTERM (the API flushes its journal), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  /** SIGKILL: no shutdown hook runs. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Journal segments (decisions and audit) left on disk. */
  spoolSegments(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.jsonl')) found.push(path);
      }
    };
    walk(this.spoolDir);
    return found;
  }

  /** Error-level lines of the API's log (pino level ≥ 50). */
  errorLogLines(): string[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
  }

  private lastLogLine(): string {
    if (!existsSync(this.logFile)) return '';
    const lines = readFileSync(this.logFile, 'utf8').trim().split('\n');
    return (lines[lines.length - 1] ?? '').slice(0, 500);
  }

  /** SQL on the instance's database: PostgreSQL directly (not through any proxy); PGlite only while the API is stopped. */
  async sql(): Promise<SqlRunner> {
    if (this.kind === 'postgres') {
      const client = new Client({ connectionString: this.options.databaseUrl, options: `-c search_path=${this.schema}` });
      await client.connect();
      return {
        query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        close: () => client.end(),
      };
    }
    if (this.running) throw new Error('the embedded database can be read only while the API is stopped');
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(join(this.workDir, 'data', 'pglite'));
    return {
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      close: () => db.close(),
    };
  }

  /** Stops the API and removes the schema and folders (kept when `keep`). */
  async dispose(keep: boolean): Promise<void> {
    await this.stop();
    if (keep) return;
    if (this.kind === 'postgres') await dropSchema(this.options.databaseUrl as string, this.schema);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
