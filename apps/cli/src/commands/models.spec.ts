import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../main';
import { createModelsCommand } from './models';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Runs `dynaprice models …` against canned answers; returns the exit code, output and requests. */
async function run(argv: string[], answers: Array<{ status: number; body: unknown }>, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; sent: Sent[] }> {
  const sent: Sent[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    sent.push({ method: String(init.method), url, headers: init.headers as Record<string, string>, body: init.body });
    const answer = answers.shift() ?? { status: 500, body: { detail: 'no canned answer' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' } });
  }) as unknown as typeof fetch;
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: new Writable({ write: (chunk: Buffer, _e, done) => ((stdout += chunk.toString()), done()) }),
    stderr: new Writable({ write: (chunk: Buffer, _e, done) => ((stderr += chunk.toString()), done()) }),
  };
  const code = await main(['models', ...argv], io, [createModelsCommand(env, fakeFetch)]);
  return { code, stdout, stderr, sent };
}

const version = {
  id: 'm-0123456789ab',
  sha256: 'ab'.repeat(32),
  sizeBytes: 1234,
  source: 'upload',
  createdBy: 'ds@retailer',
  createdAt: '2026-03-01T10:00:00.000Z',
  name: 'demand',
  features: [{ name: 'price_ratio', type: 'numeric' }],
  aliases: ['champion'],
  trainingData: { from: '2026-01-01', to: '2026-02-28', rows: 5000 },
  validation: { rmse: 1.23456, mae: 0.5 },
  artifactLocation: 'database',
};

describe('dynaprice models', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dynaprice-models-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists versions from the API with the key from the environment', async () => {
    const result = await run(['list'], [{ status: 200, body: { items: [version], total: 1 } }], { DYNAPRICE_API_KEY: 'dp_key' });
    expect(result.code).toBe(0);
    expect(result.sent).toEqual([expect.objectContaining({ method: 'GET', url: 'http://localhost:3000/v1/models?limit=1000', headers: expect.objectContaining({ 'x-api-key': 'dp_key' }) })]);
    expect(result.stdout).toContain('m-0123456789ab  champion  demand  upload  2026-03-01 10:00  ds@retailer  1.235');
  });

  it('shows a version by alias, and its whole card with --full', async () => {
    const aliases = { status: 200, body: [{ alias: 'champion', modelVersionId: version.id }] };
    const shown = await run(['show', 'champion', '--api', 'http://api:8080/'], [aliases, { status: 200, body: version }]);
    expect(shown.sent.map((s) => s.url)).toEqual(['http://api:8080/v1/models/aliases', `http://api:8080/v1/models/${version.id}`]);
    expect(shown.stdout).toMatch(/training data\s+2026-01-01 … 2026-02-28, 5000 rows/);
    const card = await run(['show', version.id, '--full'], [{ status: 200, body: { name: 'demand', features: [] } }]);
    expect(JSON.parse(card.stdout)).toEqual({ name: 'demand', features: [] });
    expect(card.sent[0]?.url).toBe(`http://localhost:3000/v1/models/${version.id}/card`);
  });

  it('uploads DIR/model.onnx with DIR/model-card.json as multipart', async () => {
    const model = join(dir, 'trained');
    mkdirSync(model);
    writeFileSync(join(model, 'model.onnx'), Buffer.from([8, 1, 2, 3]));
    writeFileSync(join(model, 'model-card.json'), '{"name":"demand"}');
    const result = await run(['upload', model, '--key', 'k'], [{ status: 201, body: { ...version, created: true } }]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`uploaded: ${version.id} (demand, sha256 abababababababab…)\n`);
    const form = result.sent[0]?.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(Buffer.from(await (form.get('model') as Blob).arrayBuffer())).toEqual(Buffer.from([8, 1, 2, 3]));
    expect(await (form.get('card') as Blob).text()).toBe('{"name":"demand"}');
    const again = await run(['upload', join(model, 'model.onnx')], [{ status: 200, body: { ...version, created: false } }]);
    expect(again.stdout).toMatch(/^already registered: m-0123456789ab/);
    expect((again.sent[0]?.body as FormData).get('card')).toBeNull();
  });

  it('promotes and rolls back with a reason, saying what moved', async () => {
    const change = { alias: { alias: 'challenger', modelVersionId: version.id }, event: { action: 'promote', fromVersionId: null, toVersionId: version.id, actor: 'ds', reason: 'spring refit' } };
    const promoted = await run(['promote', version.id, '--alias', 'challenger', '--reason', 'spring refit'], [{ status: 200, body: change }]);
    expect(promoted.sent[0]).toMatchObject({ method: 'POST', url: `http://localhost:3000/v1/models/${version.id}/promote`, body: JSON.stringify({ alias: 'challenger', reason: 'spring refit' }) });
    expect(promoted.stdout).toBe(`challenger: none → ${version.id} (promote by ds: spring refit)\n`);
    const rolledBack = await run(['rollback', '--reason', 'waste up'], [{ status: 200, body: { ...change, alias: { alias: 'champion' }, event: { ...change.event, action: 'rollback', fromVersionId: 'm-ffffffffffff' } } }]);
    expect(rolledBack.sent[0]).toMatchObject({ url: 'http://localhost:3000/v1/models/aliases/champion/rollback', body: JSON.stringify({ reason: 'waste up' }) });
    expect(rolledBack.stdout).toContain('champion: m-ffffffffffff → m-0123456789ab (rollback by ds');
  });

  it.each([
    [[], 2, /^dynaprice: models: say what to do/],
    [['deploy'], 2, /^dynaprice: models: unknown command "deploy"/],
    [['promote', 'm-0123456789ab'], 2, /^dynaprice: models promote: --reason is required/],
    [['promote', 'm-0123456789ab', '--reason', 'x', '--alias', 'canary'], 2, /^dynaprice: --alias must be champion or challenger/],
    [['show', 'latest'], 2, /^dynaprice: models: "latest" is neither a version id/],
    [['upload', '/nonexistent/model.onnx'], 2, /^dynaprice: models upload: \/nonexistent\/model.onnx does not exist/],
    [['list', '--api', 'localhost'], 2, /^dynaprice: --api must be/],
    [['list', 'extra'], 2, /^dynaprice: models list: unexpected argument "extra"/],
  ])('refuses %j with one line (exit %i)', async (argv, code, pattern) => {
    const result = await run(argv, []);
    expect(result.code).toBe(code);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(pattern)]);
    expect(result.sent).toEqual([]);
  });

  it('turns problem+json answers into one line, with a hint on 401', async () => {
    const refused = await run(['rollback', '--reason', 'x'], [{ status: 422, body: { status: 422, title: 'Request cannot be carried out', detail: 'champion has no earlier version to roll back to' } }]);
    expect(refused).toMatchObject({ code: 1, stderr: 'dynaprice: POST /v1/models/aliases/champion/rollback: 422 champion has no earlier version to roll back to\n' });
    const anonymous = await run(['list'], [{ status: 401, body: { title: 'Authentication required', detail: 'no credential' } }]);
    expect(anonymous.stderr).toBe('dynaprice: GET /v1/models?limit=1000: 401 no credential (pass --key or set DYNAPRICE_API_KEY)\n');
  });
});
