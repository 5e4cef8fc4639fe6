import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import type { Role } from '../../src/auth/permissions';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createRootLogger } from '../../src/common/logger';

export type TestMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';

/** Sends requests with one identity. */
export interface Requester {
  request(method: TestMethod, url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
}

export interface TestApp extends Requester {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Every JSON log line written so far. */
  logs: Array<Record<string, unknown>>;
  /**
   * `request` sends the harness admin's API key, unless the headers carry a credential of their own
   * (`authorization` or `x-api-key`).
   */
  request(method: TestMethod, url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Requests with an API key of this role (created on first use, every store). */
  as(role: Role): Requester;
  /** The API key `as(role)` sends. */
  apiKey(role: Role): Promise<string>;
  /** Requests without any credential. */
  anonymous: Requester;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience: response shapes vary per route
  text: string;
}

/** A small demo retailer (2 stores, 30 SKUs, 28 days): seeds and trains in a few seconds. */
export const SMALL_DEMO = { DEMO_SEED: 'true', DEMO_STORES: '2', DEMO_SKUS_PER_CATEGORY: '6', DEMO_HISTORY_DAYS: '28' };

/** The secrets every test instance shares, so that two instances accept each other's sessions. */
const TEST_SECRETS = { CUSTOMER_ID_HMAC_KEY: 'test-only-customer-hmac-key-0123456789', JWT_SECRET: 'test-only-jwt-secret-0123456789-abcdefghij' };

/** The database the API tests run on: PGlite in memory, or DATABASE_URL when set (CI runs both). */
export const TEST_DATABASE = process.env['DATABASE_URL'] ? 'postgres' : 'pglite';

async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A log destination that keeps each JSON line, parsed, in `logs`. */
function logSink(logs: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
}

/**
 * Boots the real application (real migrations, real database) for one test file. On PostgreSQL
 * each app gets a fresh schema that is dropped on close.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { databaseUrl?: string } = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? process.env['DATABASE_URL'];
  const schema = databaseUrl ? `t_${randomBytes(6).toString('hex')}` : 'public';
  const config = loadConfig({
    DATA_DIR: 'memory://',
    DEMO_SEED: 'false',
    LOG_LEVEL: 'info',
    ...TEST_SECRETS,
    // Suites send hundreds of requests a minute as one caller: the rate-limit tests lower these.
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_POS_PER_MINUTE: '100000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const app = await createApp(config, { logger: createRootLogger(config.logLevel, logSink(logs)) });

  // The harness's own credentials: one API key per role, made directly through the service.
  const keys = new Map<Role, Promise<string>>();
  const apiKey = (role: Role): Promise<string> => {
    let key = keys.get(role);
    if (!key) {
      // A prefix of its own per app: two apps of one test file share the in-memory PGlite database.
      const value = `dp_test_${role.replace(/-/g, '_')}_${randomBytes(4).toString('hex')}_${randomBytes(16).toString('hex')}`;
      key = app
        .get(ApiKeysService)
        .createWithKey(value, { name: `test harness ${role}`, role }, 'test-harness')
        .then(() => value);
      keys.set(role, key);
    }
    return key;
  };
  await apiKey('admin');

  async function send(method: TestMethod, url: string, body: unknown, headers: Record<string, string>): Promise<TestResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const response = await app.inject({
      method,
      url,
      payload,
      headers: { ...(payload !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    });
    const text = response.body;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.statusCode, headers: response.headers, body: parsed, text };
  }
  const hasCredential = (headers: Record<string, string>): boolean => Object.keys(headers).some((name) => ['authorization', 'x-api-key'].includes(name.toLowerCase()));
  const as = (role: Role): Requester => ({
    async request(method, url, body, headers = {}) {
      return send(method, url, body, hasCredential(headers) ? headers : { 'x-api-key': await apiKey(role), ...headers });
    },
  });

  return {
    app,
    config,
    logs,
    request: (method, url, body, headers = {}) => as('admin').request(method, url, body, headers),
    as,
    apiKey,
    anonymous: { request: (method, url, body, headers = {}) => send(method, url, body, headers) },
    async close() {
      await app.close();
      const adminUrl = process.env['DATABASE_URL'];
      if (databaseUrl && adminUrl) await withPg(adminUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

/**
 * Another API instance on the first one's PostgreSQL schema, as a second Fargate task would be: it
 * seeds nothing and shares the first's data and API keys.
 */
export async function startSecondInstance(first: TestApp, env: Record<string, string> = {}): Promise<{ app: NestFastifyApplication; logs: Array<Record<string, unknown>> }> {
  const config = loadConfig({
    DATABASE_URL: first.config.databaseUrl ?? '',
    DATABASE_SCHEMA: first.config.databaseSchema,
    ...TEST_SECRETS,
    DEMO_SEED: 'false',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const app = await createApp(config, { logger: createRootLogger(config.logLevel, logSink(logs)) });
  return { app, logs };
}

/** Asserts the answer is an RFC 9457 problem with this status, and returns it. */
export function expectProblem(response: TestResponse, status: number): { detail: string; field?: string; errors?: Array<{ field: string; message: string }>; code: string } {
  expect({ status: response.status, contentType: String(response.headers['content-type']) }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json'),
  });
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(/^urn:dynaprice:problem:/) });
  return response.body;
}
