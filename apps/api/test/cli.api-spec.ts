import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Client } from 'pg';
import { runApiCli } from '../src/cli';
import { startTestApp, TEST_DATABASE } from './support/test-app';

const ROOT = join(__dirname, '../../..');
const PASSWORD = 'first admin passphrase';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const code = await runApiCli(argv, { stdout, stderr, stdin: Readable.from([stdin]) }, env);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe(`dynaprice users / api-keys: the API's command runner (${TEST_DATABASE})`, () => {
  const databaseUrl = process.env['DATABASE_URL'];
  const schema = `cli_${randomBytes(5).toString('hex')}`;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-cli-'));
    env = databaseUrl
      ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, CUSTOMER_ID_HMAC_KEY: 'test-only-customer-hmac-key-0123456789', LOG_LEVEL: 'silent' }
      : { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('creates the first admin (password from stdin or the environment) and an API key, which then work against the API', async () => {
    const created = await run(['users', 'create', '--email', 'Root@Retailer.example', '--role', 'admin', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^created user root@retailer\.example \(admin\) [0-9a-f-]{36}\n$/);
    expect((await run(['users', 'create', '--email', 'fin@retailer.example', '--role', 'finance'], { ...env, DYNAPRICE_PASSWORD: PASSWORD })).code).toBe(0);
    const listed = await run(['users', 'list'], env);
    expect(listed.stdout).toContain('root@retailer.example  admin  active');
    expect(listed.stdout).toContain('fin@retailer.example  finance  active');

    const key = await run(['api-keys', 'create', '--name', 'scraper', '--role', 'admin'], env);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^dp_[a-z0-9]{12}_[A-Za-z0-9]{40}\n$/);
    expect(key.stderr).toContain('shown only now');

    const api = await startTestApp(databaseUrl ? { DATABASE_SCHEMA: schema } : { DATA_DIR: dataDir });
    try {
      const login = await api.anonymous.request('POST', '/v1/auth/login', { email: 'root@retailer.example', password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body.user.role).toBe('admin');
      expect((await api.anonymous.request('GET', '/v1/users', undefined, { 'x-api-key': key.stdout.trim() })).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it.each([
    [['users', 'create', '--role', 'admin'], 2, /--email is required/],
    [['users', 'create', '--email', 'x@retailer.example', '--role', 'king'], 2, /--role: must be one of/],
    [['users', 'create', '--email', 'not-an-email', '--role', 'admin'], 2, /--email: must be an email address/],
    [['users', 'create', '--email', 'y@retailer.example', '--role', 'admin', '--password', 'on-the-command-line'], 2, /unknown option --password/],
    [['users', 'frobnicate'], 2, /unknown action "frobnicate"/],
    [['api-keys', 'revoke', '--id', 'nope'], 2, /--id must be a UUID/],
  ])('refuses %j with one line and exit code %i', async (argv, code, message) => {
    const result = await run(argv, { ...env, DYNAPRICE_PASSWORD: PASSWORD });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^dynaprice: /);
  });

  it('refuses a password that is too short, a duplicate email and a bad configuration', async () => {
    const short = await run(['users', 'create', '--email', 'z@retailer.example', '--role', 'admin'], { ...env, DYNAPRICE_PASSWORD: 'short' });
    expect(short).toMatchObject({ code: 2, stderr: expect.stringMatching(/password: must be 12 to 256 characters/) });
    const twice = await run(['users', 'create', '--email', 'root@retailer.example', '--role', 'admin'], { ...env, DYNAPRICE_PASSWORD: PASSWORD });
    expect(twice).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
    const config = await run(['users', 'list'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:5432/nothing' });
    expect(config).toMatchObject({ code: 78, stderr: expect.stringMatching(/^dynaprice: invalid configuration: CUSTOMER_ID_HMAC_KEY/) });
  });

  it('is routed by bin/dynaprice.js, which never loads apps/cli for it', () => {
    const help = spawnSync(process.execPath, [join(ROOT, 'bin/dynaprice.js'), 'users', 'create', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: dynaprice users create');
    const unknown = spawnSync(process.execPath, [join(ROOT, 'bin/dynaprice.js'), 'api-keys', 'explode'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('dynaprice: api-keys: unknown action "explode" (actions: create, list, revoke)');
  });
});
