import { createServer } from 'node:net';
import { startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe(`metrics port for the in-task scraper (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    api = await startTestApp({ METRICS_PORT: String(port), HOST: '127.0.0.1' });
  });
  afterAll(() => api.close());

  it('serves the Prometheus metrics on METRICS_PORT without credentials', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^# HELP dynaprice_/m);
  });

  it('serves nothing else there, and keeps /metrics admin-only on the API port', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/v1/skus`)).status).toBe(404);
    expect((await api.anonymous.request('GET', '/metrics')).status).toBe(401);
    expect((await api.as('merchandiser').request('GET', '/metrics')).status).toBe(403);
  });
});
