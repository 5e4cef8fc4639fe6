import { getDataSourceToken } from '@nestjs/typeorm';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { CredentialCache } from '../src/auth/credential-cache';
import { DEMO_CREDENTIALS } from '../src/auth/demo-credentials';
import { SESSION_AUDIENCE, SESSION_ISSUER } from '../src/auth/session-tokens';
import { UsersService } from '../src/auth/users.service';
import { SMALL_DEMO, expectProblem, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery staple';
const JWT_SECRET = 'test-only-jwt-secret-0123456789-abcdefghij';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

describe(`sign-in, sessions and API keys (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startTestApp(SMALL_DEMO);
    dataSource = api.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => api.close());

  async function createUser(email: string, role: 'merchandiser' | 'admin' | 'finance' = 'merchandiser'): Promise<string> {
    const response = await api.request('POST', '/v1/users', { email, password: PASSWORD, role });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  async function login(email: string, password = PASSWORD): Promise<{ accessToken: string; expiresAt: string; user: { id: string; email: string; role: string } }> {
    const response = await api.anonymous.request('POST', '/v1/auth/login', { email, password });
    expect(response.status).toBe(200);
    return response.body;
  }

  it('signs in with email and password: a short-lived bearer token, and who it belongs to', async () => {
    const id = await createUser('Ana@Retailer.example');
    const session = await login('ana@retailer.example');
    expect(session).toMatchObject({ accessToken: expect.stringMatching(/^ey/), tokenType: 'Bearer', user: { id, email: 'ana@retailer.example', role: 'merchandiser' } });
    const ttl = Date.parse(session.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);

    const me = await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(session.accessToken));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', id, label: 'user:ana@retailer.example', role: 'merchandiser', email: 'ana@retailer.example', stores: null });
    expect(me.body.permissions).toEqual(expect.arrayContaining(['prices:quote', 'overrides:write']));
    expect(me.body.permissions).not.toContain('overrides:force');
    // The role's permissions hold for the token too: a merchandiser is no admin.
    expect((await api.anonymous.request('GET', '/v1/users', undefined, bearer(session.accessToken))).status).toBe(403);
    expect((await api.anonymous.request('GET', '/v1/skus', undefined, bearer(session.accessToken))).status).toBe(200);
  });

  it('gives one answer for an unknown email, a wrong password and a disabled account', async () => {
    const id = await createUser('bo@retailer.example');
    const unknown = expectProblem(await api.anonymous.request('POST', '/v1/auth/login', { email: 'nobody@retailer.example', password: PASSWORD }), 401);
    const wrong = expectProblem(await api.anonymous.request('POST', '/v1/auth/login', { email: 'bo@retailer.example', password: 'not the password' }), 401);
    expect(wrong.detail).toBe(unknown.detail);
    expect((await api.request('DELETE', `/v1/users/${id}`)).status).toBe(204);
    const disabled = expectProblem(await api.anonymous.request('POST', '/v1/auth/login', { email: 'bo@retailer.example', password: PASSWORD }), 401);
    expect(disabled.detail).toBe(unknown.detail);
  });

  it('refuses a session token after sign-out, after a role change and once the user is disabled', async () => {
    const id = await createUser('cy@retailer.example');
    const first = await login('cy@retailer.example');
    expect((await api.anonymous.request('POST', '/v1/auth/logout', undefined, bearer(first.accessToken))).status).toBe(204);
    expect(expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(first.accessToken)), 401).detail).toContain('revoked');

    const second = await login('cy@retailer.example');
    expect((await api.request('PATCH', `/v1/users/${id}`, { role: 'finance' })).body.role).toBe('finance');
    expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(second.accessToken)), 401);
    const third = await login('cy@retailer.example');
    expect((await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(third.accessToken))).body.role).toBe('finance');

    expect((await api.request('DELETE', `/v1/users/${id}`)).status).toBe(204);
    expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(third.accessToken)), 401);
  });

  it('refuses expired, tampered, foreign-key and alg:none tokens', async () => {
    await createUser('di@retailer.example');
    const good = await login('di@retailer.example');
    const [header, payload, signature] = good.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const secret = new TextEncoder().encode(JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);

    const expired = await new SignJWT({ ...claims, exp: now - 60, iat: now - 3_700 }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    const flippedSignature = `${header}.${payload}.${signature.slice(0, -3)}${signature.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const promoted = `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
    const otherSecret = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('another-secret-0123456789-abcdefghijklmnop'));
    const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const algNoneSigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`;
    const wrongAudience = await new SignJWT({ ...claims, aud: 'someone-else' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);

    expect((await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(good.accessToken))).status).toBe(200);
    const cases: Array<[string, string, RegExp]> = [
      ['expired', expired, /expired/],
      ['signature flipped', flippedSignature, /signature/],
      ['payload changed', promoted, /signature/],
      ['signed with another key', otherSecret, /signature/],
      ['alg none, no signature', algNone, /token/],
      ['alg none, old signature', algNoneSigned, /token/],
      ['wrong audience', wrongAudience, /aud/],
      ['not a JWT', 'not-a-token', /token/],
    ];
    for (const [name, token, reason] of cases) {
      const response = await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(token));
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect({ name, detail: response.body.detail }).toEqual({ name, detail: expect.stringMatching(reason) });
    }
    // Still the issuer and audience the API signs with.
    expect(claims).toMatchObject({ iss: SESSION_ISSUER, aud: SESSION_AUDIENCE });
  });

  it('creates API keys shown once and stored hashed, and refuses revoked and expired ones', async () => {
    const created = await api.request('POST', '/v1/api-keys', { name: 'lane 3', role: 'pos' });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.body as { key: string; id: string; prefix: string };
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    const listed = await api.request('GET', '/v1/api-keys');
    expect(listed.text).not.toContain(key);
    expect(listed.body.find((row: { id: string }) => row.id === id)).toMatchObject({ prefix, role: 'pos', active: true });
    const [stored] = (await dataSource.query('SELECT key_hash FROM api_keys WHERE id = $1', [id])) as Array<{ key_hash: string }>;
    expect(stored?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await dataSource.query('SELECT * FROM api_keys'))).not.toContain(key);

    for (const headers of [{ 'x-api-key': key }, { authorization: `ApiKey ${key}` }] as Array<Record<string, string>>) {
      const me = await api.anonymous.request('GET', '/v1/auth/me', undefined, headers);
      expect(me.body).toMatchObject({ kind: 'api-key', id, role: 'pos', label: `key:${prefix}` });
    }
    expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}` }), 401);

    expect((await api.request('DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
    expect(expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': key }), 401).detail).toContain('revoked');

    const expiring = (await api.request('POST', '/v1/api-keys', { name: 'expiring', role: 'pos' })).body as { key: string; id: string };
    expect((await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': expiring.key })).status).toBe(200);
    await dataSource.query(`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiring.id]);
    api.app.get(CredentialCache).apiKeys.clear();
    expect(expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': expiring.key }), 401).detail).toContain('expired');

    expectProblem(await api.request('POST', '/v1/api-keys', { name: 'past', role: 'pos', expiresAt: '2020-01-01T00:00:00Z' }), 400);
    expectProblem(await api.request('POST', '/v1/api-keys', { name: 'nowhere', role: 'pos', storeIds: ['NOPE'] }), 400);
  });

  it('holds a store-scoped key to its stores for pricing, stock and sales, but lets it read the catalog', async () => {
    const skuCode = (await api.request('GET', '/v1/skus?limit=1')).body.items[0].code as string;
    const key = (await api.request('POST', '/v1/api-keys', { name: 'S01 only', role: 'pos', storeIds: ['S01'] })).body.key as string;
    const pos = { 'x-api-key': key };
    expect((await api.anonymous.request('POST', '/v1/prices', { storeId: 'S01', items: [{ skuCode }] }, pos)).status).toBe(200);
    expect(expectProblem(await api.anonymous.request('POST', '/v1/prices', { storeId: 'S02', items: [{ skuCode }] }, pos), 403).detail).toContain('S02');
    expectProblem(await api.anonymous.request('POST', '/v1/stores/S02/reprice', undefined, pos), 403);
    expect((await api.anonymous.request('POST', '/v1/stores/S01/reprice?limit=2', undefined, pos)).status).toBe(200);
    const lot = { storeId: 'S02', skuCode, lotRef: 'scoped-1', quantity: 3, receivedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
    expectProblem(await api.anonymous.request('POST', '/v1/inventory', lot, pos), 403);
    expectProblem(await api.anonymous.request('POST', '/v1/inventory/bulk', { items: [{ ...lot, storeId: 'S01' }, lot] }, pos), 403);
    const sale = { idempotencyKey: 'scoped-sale-1', storeId: 'S02', skuCode, quantity: 1, unitPrice: 1.99, soldAt: new Date().toISOString() };
    expectProblem(await api.anonymous.request('POST', '/v1/sales', { events: [sale] }, pos), 403);
    // Routes that do not name a store stay closed to a store-scoped key when they change data.
    expectProblem(await api.anonymous.request('DELETE', '/v1/inventory/00000000-0000-4000-8000-000000000000', undefined, pos), 403);
    expect((await api.anonymous.request('GET', '/v1/skus?limit=5', undefined, pos)).status).toBe(200);
  });

  it('lets only an admin force an override outside floor and ceiling', async () => {
    const sku = (await api.request('GET', '/v1/skus?limit=1')).body.items[0] as { code: string; priceFloor: number | null; listPrice: number };
    const override = { skuCode: sku.code, storeId: 'S01', price: 0.01, endsAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'Clearance below cost', forced: true };
    const refused = expectProblem(await api.as('merchandiser').request('POST', '/v1/overrides', override), 403);
    expect(refused.detail).toContain('overrides:force');
    expect((await api.as('admin').request('POST', '/v1/overrides', override)).status).toBe(201);
    const unforced = { ...override, forced: false, price: sku.listPrice };
    expect((await api.as('merchandiser').request('POST', '/v1/overrides', unforced)).status).toBe(201);
  });

  it('keeps at least one active admin', async () => {
    const users = api.app.get(UsersService);
    const admins = (await users.list()).filter((user) => user.role === 'admin' && user.disabledAt === null);
    for (const admin of admins.slice(1)) await users.disable(admin.id);
    const last = admins[0] ?? (await users.create({ email: 'root@retailer.example', password: PASSWORD, role: 'admin' }, 'test'));
    expectProblem(await api.request('DELETE', `/v1/users/${last.id}`), 409);
    expectProblem(await api.request('PATCH', `/v1/users/${last.id}`, { role: 'finance' }), 409);
  });

  if (TEST_DATABASE === 'pglite') {
    it('seeds one documented user and API key per role in the embedded demo, and logs them', async () => {
      for (const credential of DEMO_CREDENTIALS) {
        const session = await login(credential.email, credential.password);
        expect(session.user.role).toBe(credential.role);
        const me = await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': credential.apiKey });
        expect(me.body).toMatchObject({ kind: 'api-key', role: credential.role });
        expect(api.logs).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'demo credential (embedded demo only)', role: credential.role, demoApiKey: credential.apiKey })]));
      }
    });
  } else {
    it('creates no default credentials on a PostgreSQL server', async () => {
      for (const credential of DEMO_CREDENTIALS) {
        expectProblem(await api.anonymous.request('POST', '/v1/auth/login', { email: credential.email, password: credential.password }), 401);
        expectProblem(await api.anonymous.request('GET', '/v1/auth/me', undefined, { 'x-api-key': credential.apiKey }), 401);
      }
      expect(await dataSource.query(`SELECT email FROM users WHERE email LIKE '%@demo.dynaprice.dev'`)).toEqual([]);
    });
  }
});

describe(`OIDC access tokens verified through the provider's JWKS (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let jwksServer: Server;
  let signingKey: PrivateKey;
  let otherKey: PrivateKey;
  const issuer = 'https://idp.retailer.example/';
  const audience = 'dynaprice';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    api = await startTestApp({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, OIDC_ROLE_CLAIM: 'realm_access.roles' });
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  function token(claims: Record<string, unknown>, key: PrivateKey = signingKey, kid = 'k1'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const defaults = { iss: issuer, aud: audience, sub: 'idp-user-42', iat: now, exp: now + 300, email: 'eve@retailer.example', realm_access: { roles: ['offline_access', 'data-scientist'] } };
    return new SignJWT({ ...defaults, ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  }

  it('accepts a valid token and takes the role from the configured claim', async () => {
    const me = await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(await token({})));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'oidc', id: 'idp-user-42', role: 'data-scientist', label: 'oidc:eve@retailer.example' });
    expect((await api.anonymous.request('GET', '/v1/users', undefined, bearer(await token({})))).status).toBe(403);
  });

  it('refuses foreign keys, wrong audience or issuer, expired tokens, alg confusion and ambiguous roles', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hmacWithPublicKey = await new SignJWT({ realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('x')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k1-public-key-material-as-a-secret'));
    const cases: Array<[string, string]> = [
      ['signed by another key', await token({}, otherKey)],
      ['unknown kid', await token({}, otherKey, 'k2')],
      ['wrong audience', await token({ aud: 'other-app' })],
      ['expired', await token({ exp: now - 10, iat: now - 600 })],
      ['HS256 alg confusion', hmacWithPublicKey],
      ['no role', await token({ realm_access: { roles: ['offline_access'] } })],
      ['two roles', await token({ realm_access: { roles: ['finance', 'admin'] } })],
      ['alg none', `${base64url({ alg: 'none', kid: 'k1' })}.${base64url({ iss: issuer, aud: audience, sub: 'x', exp: now + 300, realm_access: { roles: ['admin'] } })}.`],
    ];
    for (const [name, candidate] of cases) {
      const response = await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(candidate));
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
    }
    const wrongIssuer = await new SignJWT({ realm_access: { roles: ['admin'] } }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://evil.example/').setAudience(audience).setSubject('x').setExpirationTime('5m').sign(signingKey);
    expect((await api.anonymous.request('GET', '/v1/auth/me', undefined, bearer(wrongIssuer))).status).toBe(401);
  });
});
