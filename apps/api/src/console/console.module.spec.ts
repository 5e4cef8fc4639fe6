import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { consoleFile, ConsoleModule, isConsoleNavigation } from './console.module';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe(isConsoleNavigation.name, () => {
  it('sends browser navigations outside the API to the console', () => {
    expect(isConsoleNavigation('/prices?store=S01', HTML.accept)).toBe(true);
    expect(isConsoleNavigation('/skus/PRD-001', HTML.accept)).toBe(true);
  });

  it('never answers an API path or a non-HTML request with the console', () => {
    for (const path of ['/v1/nothing', '/v1', '/docs/x', '/health/nope', '/metrics/x']) expect(isConsoleNavigation(path, HTML.accept)).toBe(false);
    expect(isConsoleNavigation('/prices', 'application/json')).toBe(false);
    expect(isConsoleNavigation('/prices', undefined)).toBe(false);
  });
});

describe(consoleFile.name, () => {
  it('names only files inside the console folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dynaprice-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), '');
    try {
      expect(consoleFile(dir, '/assets/app.js?v=1')).toBe(join('assets', 'app.js'));
      expect(consoleFile(dir, '/assets')).toBeNull();
      expect(consoleFile(dir, '/prices')).toBeNull();
      expect(consoleFile(dir, '/../../etc/passwd')).toBeNull();
      expect(consoleFile(dir, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
      expect(consoleFile(dir, '/%E0%A4%A')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(ConsoleModule.name, () => {
  let dir: string;
  let api: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dynaprice-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Dynaprice</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
    api = await startTestApp({ CONSOLE_DIR: dir, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10' });
  });

  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console at /', async () => {
    const response = await api.request('GET', '/', undefined, HTML);
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toContain('text/html');
    expect(response.text).toContain('<div id="root">');
  });

  it('serves hashed assets with long-lived caching', async () => {
    const response = await api.request('GET', '/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a client-side route with index.html (SPA fallback)', async () => {
    const response = await api.request('GET', '/skus/PRD-001?store=S01', undefined, HTML);
    expect(response.status).toBe(200);
    expect(response.text).toContain('<div id="root">');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('keeps unknown API routes a 404 problem, even for a browser', async () => {
    for (const headers of [HTML, {}]) {
      const response = await api.request('GET', '/v1/nothing-here', undefined, headers);
      expect(response.status).toBe(404);
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('keeps a non-HTML request for an unknown page a 404 problem', async () => {
    const response = await api.request('GET', '/prices', undefined, { accept: 'application/json' });
    expect(response.status).toBe(404);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
  });

  it('does not count the console’s own files against the API’s per-address rate limit', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i += 1) statuses.add((await api.request('GET', '/assets/index-abc123.js')).status);
    expect([...statuses]).toEqual([200]);
  });

  it('leaves the API and its documents alone', async () => {
    expect((await api.request('GET', '/health/live')).status).toBe(200);
    const docs = await api.request('GET', '/docs-json', undefined, HTML);
    expect(docs.status).toBe(200);
    expect(docs.body).toMatchObject({ openapi: expect.any(String) });
  });
});

describe(`${ConsoleModule.name} without a build`, () => {
  it('serves the API only', async () => {
    const api = await startTestApp({ CONSOLE_DIR: join(tmpdir(), 'dynaprice-no-console-here') });
    try {
      const response = await api.request('GET', '/', undefined, HTML);
      expect(response.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
