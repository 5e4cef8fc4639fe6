import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { lightGbmStyle, servedCard } from './support/onnx-models';
import { SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'dynaprice.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real `dynaprice` command in a child process (asynchronously: the API answers from this process). */
function dynaprice(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe(`dynaprice models against the API (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let url: string;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApp(SMALL_DEMO);
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    key = await api.apiKey('data-scientist');
    dir = mkdtempSync(join(tmpdir(), 'dynaprice-cli-models-'));
  }, 180_000);
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, lists, shows, promotes and rolls back through the API', async () => {
    const modelDir = join(dir, 'byo');
    mkdirSync(modelDir);
    writeFileSync(join(modelDir, 'model.onnx'), lightGbmStyle());
    writeFileSync(join(modelDir, 'model-card.json'), JSON.stringify(servedCard({ name: 'cli-upload' })));

    const uploaded = await dynaprice(['models', 'upload', modelDir, '--api', url, '--key', key]);
    expect(uploaded).toMatchObject({ code: 0, stderr: '' });
    const id = /^uploaded: (m-[0-9a-f]{12}) \(cli-upload, sha256 [0-9a-f]{16}…\)$/.exec(uploaded.stdout.trim())?.[1] as string;
    expect(id).toBeDefined();

    const env = { DYNAPRICE_API_KEY: key, DYNAPRICE_API_URL: url };
    const listed = await dynaprice(['models', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+—\\s+cli-upload\\s+upload\\s`, 'm'));
    expect(listed.stdout).toMatch(/^m-[0-9a-f]{12}\s+champion\s+demand\s+trainer\s/m);

    const promoted = await dynaprice(['models', 'promote', id, '--alias', 'challenger', '--reason', 'try the LightGBM export'], env);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(new RegExp(`^challenger: none → ${id} \\(promote by .+: try the LightGBM export\\)\\n$`));
    const shown = await dynaprice(['models', 'show', 'challenger'], env);
    expect(shown.stdout).toMatch(new RegExp(`^id\\s+${id}$`, 'm'));
    expect(shown.stdout).toMatch(/^aliases\s+challenger$/m);

    const champion = (await api.request('GET', '/v1/models/aliases')).body.find((a: { alias: string }) => a.alias === 'champion').modelVersionId;
    expect((await dynaprice(['models', 'promote', id, '--reason', 'ship it'], env)).code).toBe(0);
    const rolledBack = await dynaprice(['models', 'rollback', '--reason', 'too early'], env);
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.stdout).toMatch(new RegExp(`^champion: ${id} → ${champion} \\(rollback by .+: too early\\)\\n$`));
  }, 300_000);

  it('prints one line for a refusal and exits 1', async () => {
    const env = { DYNAPRICE_API_KEY: key, DYNAPRICE_API_URL: url };
    const none = await dynaprice(['models', 'rollback', '--alias', 'challenger', '--reason', 'nothing before'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('dynaprice: POST /v1/models/aliases/challenger/rollback: 422 challenger has no earlier version to roll back to\n');
    const merchandiser = await dynaprice(['models', 'promote', 'champion', '--reason', 'x', '--key', await api.apiKey('merchandiser')], { DYNAPRICE_API_URL: url });
    expect(merchandiser.code).toBe(1);
    expect(merchandiser.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^dynaprice: POST \/v1\/models\/m-[0-9a-f]{12}\/promote: 403 /)]);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await dynaprice(['models', 'list', '--api', `http://127.0.0.1:${port}`], { DYNAPRICE_API_KEY: key });
    expect(unreachable).toMatchObject({ code: 1, stderr: `dynaprice: cannot reach the API at http://127.0.0.1:${port} (ECONNREFUSED)\n` });
  }, 300_000);
});
