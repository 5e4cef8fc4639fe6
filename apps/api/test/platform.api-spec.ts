import { startTestApp, expectProblem, TEST_DATABASE, type TestApp } from './support/test-app';

describe(`platform (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ BODY_LIMIT_BYTES: '65536' });
  });
  afterAll(() => api.close());

  it('is live and ready once the database is migrated', async () => {
    expect((await api.request('GET', '/health/live')).status).toBe(200);
    const ready = await api.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual(expect.arrayContaining([{ name: 'database', ok: true }, { name: 'migrations', ok: true }]));
  });

  it('serves the OpenAPI document with every catalog route', async () => {
    const docs = await api.request('GET', '/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/stores', '/v1/skus', '/v1/skus/bulk', '/v1/inventory', '/v1/inventory/bulk', '/v1/guardrails', '/v1/overrides', '/health/ready']),
    );
    expect((await api.request('GET', '/docs')).status).toBe(200);
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await api.request('GET', '/v1/nothing-here'), 404);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    expectProblem(await api.request('POST', '/v1/stores', '{"id": ', { 'content-type': 'application/json' }), 400);
  });

  it('refuses a body that is not JSON with 415', async () => {
    expectProblem(await api.request('POST', '/v1/stores', 'id=S1', { 'content-type': 'text/plain' }), 415);
  });

  it('refuses a body over the size limit with 413 and stores nothing', async () => {
    const items = Array.from({ length: 2_000 }, (_, index) => ({ code: `BIG-${index}`, name: 'x'.repeat(20), category: 'dairy', unitCost: 1, listPrice: 2, shelfLifeDays: 5 }));
    expectProblem(await api.request('POST', '/v1/skus/bulk', { items }), 413);
    expect((await api.request('GET', '/v1/skus?search=BIG-')).body.total).toBe(0);
  });

  it('tags every answer and every log line of a request with its request id', async () => {
    const response = await api.request('GET', '/v1/stores/NOPE', undefined, { 'x-request-id': 'test-req-42' });
    expect(response.headers['x-request-id']).toBe('test-req-42');
    expect(response.body.requestId).toBe('test-req-42');
    const lines = api.logs.filter((line) => line['reqId'] === 'test-req-42');
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'request completed', status: 404, route: '/v1/stores/:id' })]));
  });

  it('replaces a request id that is not safe to log', async () => {
    const response = await api.request('GET', '/health/live', undefined, { 'x-request-id': 'bad id\nwith newline' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
