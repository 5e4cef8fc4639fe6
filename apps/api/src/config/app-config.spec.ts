import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('defaults to the embedded database on port 3000 with the demo seed', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 3000, databaseUrl: null, dataDir: '/srv/app/data', seedDemo: true, logLevel: 'info' });
  });

  it('turns the demo seed off by default against a PostgreSQL server', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CUSTOMER_ID_HMAC_KEY: 'k'.repeat(32) }).seedDemo).toBe(false);
  });

  it('requires a customer-id HMAC key of 32+ characters against a PostgreSQL server', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })).toThrow(/^CUSTOMER_ID_HMAC_KEY /);
    expect(() => loadConfig({ CUSTOMER_ID_HMAC_KEY: 'short' })).toThrow(/^CUSTOMER_ID_HMAC_KEY /);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO_SEED: 'maybe' }, 'DEMO_SEED'],
    [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES'],
    [{ CURRENCY: 'dollars' }, 'CURRENCY'],
    [{ DATABASE_SCHEMA: 'Robert"); DROP' }, 'DATABASE_SCHEMA'],
    [{ METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT'],
  ])('names the bad variable in %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});

describe('WORKERS', () => {
  it('needs a PostgreSQL server for more than one worker', () => {
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/^WORKERS /);
    const config = loadConfig({ WORKERS: '2', WORKER_INDEX: '1', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CUSTOMER_ID_HMAC_KEY: 'k'.repeat(32), DATA_DIR: '/srv/data' });
    expect(config).toMatchObject({ workers: 2, workerIndex: 1, spoolDir: '/srv/data/spool/worker-1' });
  });

  it('runs one worker per core with auto, and one in embedded mode', () => {
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(1);
    expect(loadConfig({ WORKERS: 'auto', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CUSTOMER_ID_HMAC_KEY: 'k'.repeat(32) }).workers).toBeGreaterThanOrEqual(1);
  });
});
