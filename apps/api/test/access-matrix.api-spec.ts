import { PERMISSION_MATRIX, ROLES, type Role } from '../src/auth/permissions';
import { RouteInventory, type RegisteredRoute } from '../src/auth/route-inventory';
import { startTestApp, TEST_DATABASE, type Requester, type TestApp, type TestMethod } from './support/test-app';

/** Where the API lives: a route under these prefixes must declare its access or refuse everyone. */
const API_PREFIXES = ['/v1/', '/health', '/metrics'];

function isApiRoute(url: string): boolean {
  return API_PREFIXES.some((prefix) => url === prefix.replace(/\/$/, '') || url.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || url === prefix);
}

/** A concrete URL for a route pattern: every parameter and wildcard gets a dummy value. */
function concreteUrl(pattern: string): string {
  return pattern.replace(/:[A-Za-z0-9_]+/g, 'x').replace(/\*/g, 'x');
}

type Expectation = 'open' | 'unauthenticated' | 'forbidden' | 'allowed';

/** What the matrix says a caller (a role, or null for no credentials) must get from a route. */
function expected(route: RegisteredRoute, role: Role | null): Expectation {
  const access = route.access;
  if (access?.kind === 'public') return 'open';
  if (!access) {
    // Framework routes outside the API (Swagger UI, the console's files, CORS preflights) are open;
    // an API route without a declaration refuses everyone (default deny).
    if (!isApiRoute(route.url) || route.method === 'OPTIONS') return 'open';
    return role === null ? 'unauthenticated' : 'forbidden';
  }
  if (role === null) return 'unauthenticated';
  return PERMISSION_MATRIX[access.permission].includes(role) ? 'allowed' : 'forbidden';
}

function matches(expectation: Expectation, status: number): boolean {
  switch (expectation) {
    case 'open':
    case 'allowed':
      return status !== 401 && status !== 403;
    case 'unauthenticated':
      return status === 401;
    case 'forbidden':
      return status === 403;
  }
}

describe(`every registered route × every role, against PERMISSION_MATRIX (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('reads the routes from the Fastify router, with the access each declares', () => {
    const routes = api.app.get(RouteInventory).routes;
    const keys = routes.map((route) => `${route.method} ${route.url}`);
    // The router is the source: the routes of this suite's own concern are there, declared.
    expect(keys).toEqual(expect.arrayContaining(['POST /v1/prices', 'GET /v1/audit', 'POST /v1/auth/login', 'GET /metrics', 'GET /health/live', 'GET /docs-json']));
    const declared = (key: string): unknown => routes.find((route) => `${route.method} ${route.url}` === key)?.access;
    expect(declared('POST /v1/auth/login')).toEqual({ kind: 'public' });
    expect(declared('GET /metrics')).toEqual({ kind: 'permission', permission: 'metrics:read', stores: [] });
    expect(declared('POST /v1/prices')).toEqual({ kind: 'permission', permission: 'prices:quote', stores: ['body.storeId'] });
    expect(routes.length).toBeGreaterThan(40);
  });

  it('answers 401 without credentials, 403 to a role outside the matrix, and neither to a role inside it', async () => {
    const seen = new Set<string>();
    const routes = api.app.get(RouteInventory).routes.filter((route) => {
      const key = `${route.method} ${route.url}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const callers: Array<{ role: Role | null; requester: Requester }> = [
      { role: null, requester: api.anonymous },
      ...ROLES.map((role) => ({ role, requester: api.as(role) })),
    ];
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const url = concreteUrl(route.url);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      for (const { role, requester } of callers) {
        const response = await requester.request(route.method as TestMethod, url, body, route.method === 'OPTIONS' ? { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' } : {});
        const want = expected(route, role);
        checked++;
        if (!matches(want, response.status)) mismatches.push(`${route.method} ${route.url} as ${role ?? 'nobody'}: expected ${want}, got ${response.status} ${response.text.slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * callers.length);
  });

  it('refuses with problem+json, a WWW-Authenticate challenge and the permission it lacks', async () => {
    const anonymous = await api.anonymous.request('GET', '/v1/stores');
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.headers['content-type'])).toContain('application/problem+json');
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, detail: expect.stringContaining('X-API-Key') });

    const finance = await api.as('finance').request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode: 'X' }] });
    expect(finance.status).toBe(403);
    expect(finance.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('prices:quote') });
  });

  it('refuses a request whose credential is missing before reading its body', async () => {
    // A malformed body on a protected route is a 401, not a 400: the body was never parsed.
    const response = await api.anonymous.request('POST', '/v1/stores', '{"id": ', { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
  });
});
