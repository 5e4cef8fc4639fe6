import { AuditLog } from '../src/audit/audit-log';
import { expectProblem, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

describe(`rate limits (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_POS_PER_MINUTE: '8', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3', LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => api.close());

  it('answers the caller past its limit with a 429 problem and Retry-After, per key', async () => {
    const merchandiser = api.as('merchandiser');
    for (let index = 0; index < 5; index++) expect((await merchandiser.request('GET', '/v1/stores')).status).toBe(200);
    const limited = await merchandiser.request('GET', '/v1/stores');
    const problem = expectProblem(limited, 429);
    expect(problem.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body.retryAfterSeconds).toBe(Number(limited.headers['retry-after']));
    // Another caller has its own budget; a POS key a larger one.
    expect((await api.as('finance').request('GET', '/v1/stores')).status).toBe(200);
    const pos = api.as('pos');
    for (let index = 0; index < 8; index++) expect((await pos.request('GET', '/v1/stores')).status).toBe(200);
    expectProblem(await pos.request('GET', '/v1/stores'), 429);
  });

  it('limits callers without credentials by address, and never the health probes', async () => {
    for (let index = 0; index < 3; index++) expect((await api.anonymous.request('GET', '/v1/stores')).status).toBe(401);
    expectProblem(await api.anonymous.request('GET', '/v1/stores'), 429);
    for (let index = 0; index < 10; index++) expect((await api.anonymous.request('GET', '/health/live')).status).toBe(200);
  });

  it('records rate-limited calls in the audit trail', async () => {
    await api.app.get(AuditLog).flush();
    const refused = await api.as('admin').request('GET', '/v1/audit?status=429');
    expect(refused.status).toBe(200);
    expect(refused.body.items.length).toBeGreaterThanOrEqual(3);
    expect(refused.body.items[0].detail).toMatch(/rate limit/);
  });

  it('pauses sign-in for an email after repeated failures', async () => {
    const attempt = (): ReturnType<TestApp['request']> => api.as('data-scientist').request('POST', '/v1/auth/login', { email: 'mallory@retailer.example', password: 'guess-guess-guess' });
    for (let index = 0; index < 3; index++) expectProblem(await attempt(), 401);
    const paused = await attempt();
    expectProblem(paused, 429);
    expect(Number(paused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe(`secure headers and source addresses (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('sends security headers on API answers and keeps Swagger UI working', async () => {
    const response = await api.request('GET', '/v1/stores');
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
    const docs = await api.anonymous.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
    const scripts = [...docs.text.matchAll(/src="([^"]+\.js)"/g)].map((match) => match[1] as string);
    expect(scripts.some((script) => script.endsWith('swagger-ui-init.js'))).toBe(true);
    for (const script of scripts) {
      const path = script.startsWith('/') ? script : `/docs/${script.replace(/^\.\/(docs\/)?/, '')}`;
      expect({ path, status: (await api.anonymous.request('GET', path)).status }).toEqual({ path, status: 200 });
    }
  });

  it('answers no cross-origin browser by default (the API serves the console itself)', async () => {
    const preflight = await api.anonymous.request('OPTIONS', '/v1/prices', undefined, { origin: 'https://console.retailer.example', 'access-control-request-method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await api.request('GET', '/v1/stores', undefined, { origin: 'https://console.retailer.example' });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    await api.request('GET', '/v1/stores', undefined, { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'proxy-check-direct' });
    const items = (await api.request('GET', '/v1/audit?limit=1000')).body.items as Array<{ requestId: string; sourceIp: string }>;
    expect(items.find((item) => item.requestId === 'proxy-check-direct')?.sourceIp).toBe('127.0.0.1');
  });
});

describe(`behind a trusted proxy (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => api.close());

  it('takes the source address from X-Forwarded-For', async () => {
    await api.request('GET', '/v1/stores', undefined, { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'proxy-check-forwarded' });
    const items = (await api.request('GET', '/v1/audit?limit=1000')).body.items as Array<{ requestId: string; sourceIp: string }>;
    expect(items.find((item) => item.requestId === 'proxy-check-forwarded')?.sourceIp).toBe('203.0.113.9');
  });
});

describe(`CORS for the console's origin (${TEST_DATABASE})`, () => {
  let api: TestApp;
  const preflight = { origin: 'https://console.retailer.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,content-type' };

  beforeAll(async () => {
    api = await startTestApp({ CORS_ORIGINS: 'https://console.retailer.example' });
  });
  afterAll(() => api.close());

  it('answers browsers from CORS_ORIGINS only', async () => {
    const allowed = await api.anonymous.request('OPTIONS', '/v1/prices', undefined, preflight);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.retailer.example');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('x-api-key');
    const elsewhere = await api.anonymous.request('OPTIONS', '/v1/prices', undefined, { ...preflight, origin: 'https://evil.example' });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await api.request('GET', '/v1/stores', undefined, { origin: 'https://console.retailer.example' });
    expect(simple.headers['access-control-allow-origin']).toBe('https://console.retailer.example');
  });
});
