import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createRootLogger } from '../../src/common/logger';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Every JSON log line written so far. */
  logs: Array<Record<string, unknown>>;
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
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
    CUSTOMER_ID_HMAC_KEY: 'test-only-customer-hmac-key-0123456789',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await createApp(config, { logger: createRootLogger(config.logLevel, sink) });

  return {
    app,
    config,
    logs,
    async request(method, url, body, headers = {}) {
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
    },
    async close() {
      await app.close();
      const adminUrl = process.env['DATABASE_URL'];
      if (databaseUrl && adminUrl) await withPg(adminUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
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
