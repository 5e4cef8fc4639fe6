import { sha256Hex } from '@dynaprice/gbdt';
import { DEMAND_FEATURES } from '@dynaprice/pricing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { chmod, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ServedModels } from '../src/models/served-models';
import { FakeS3 } from './support/fake-s3';
import { lightGbmStyle, multipart, parallelTreesStyle, servedCard, xgboostStyle } from './support/onnx-models';
import { expectProblem, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

const REGION = 'eu-west-1';
const BUCKET = 'dynaprice-models';

function uploadTo(api: TestApp, bytes: Uint8Array): Promise<TestResponse> {
  const form = multipart([
    { name: 'card', value: JSON.stringify(servedCard()), filename: 'card.json' },
    { name: 'model', value: bytes, filename: 'model.onnx' },
  ]);
  return api.request('POST', '/v1/models', form.body, { 'content-type': form.contentType });
}

async function download(api: TestApp, id: string): Promise<{ status: number; bytes: Buffer; body: string }> {
  const response = await api.app.inject({ method: 'GET', url: `/v1/models/${id}/artifact`, headers: { 'x-api-key': await api.apiKey('admin') } });
  return { status: response.statusCode, bytes: response.rawPayload, body: response.body };
}

async function storedInRow(api: TestApp, id: string): Promise<{ inRow: boolean; uri: string | null }> {
  const [row] = (await api.app.get<DataSource>(getDataSourceToken()).query(`SELECT artifact IS NOT NULL AS in_row, artifact_uri FROM model_versions WHERE id = $1`, [id])) as Array<{
    in_row: boolean;
    artifact_uri: string | null;
  }>;
  return { inRow: Boolean(row?.in_row), uri: row?.artifact_uri ?? null };
}

async function versionCount(api: TestApp): Promise<number> {
  return (await api.request('GET', '/v1/models?limit=1')).body.total as number;
}

describe(`S3 artifact store against a fake S3 (${TEST_DATABASE})`, () => {
  const s3 = new FakeS3({ AKIDSTATIC: 'static-secret', AKIDROLE: 'role-secret' }, REGION);
  let endpoint: string;
  let api: TestApp;

  beforeAll(async () => {
    endpoint = await s3.start();
    api = await startTestApp({
      MODEL_BUCKET: BUCKET,
      MODEL_S3_ENDPOINT: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIDSTATIC',
      AWS_SECRET_ACCESS_KEY: 'static-secret',
      AWS_SESSION_TOKEN: 'session-token-1',
    });
  });
  afterAll(async () => {
    await api.close();
    await s3.stop();
  });

  it('puts an upload in the bucket under its sha256 (signed, with the session token), not in the database', async () => {
    const bytes = lightGbmStyle();
    const sha256 = sha256Hex(bytes);
    const response = await uploadTo(api, bytes);
    expect(response.status).toBe(201);
    const key = `/${BUCKET}/models/${sha256}.onnx`;
    expect(response.body.artifactLocation).toBe(`s3:/${key}`);
    expect(s3.objects.get(key)?.equals(Buffer.from(bytes))).toBe(true);
    expect(s3.requests.filter((r) => r.method === 'PUT')).toEqual([{ method: 'PUT', path: key, accessKeyId: 'AKIDSTATIC', sessionToken: 'session-token-1', signatureValid: true, status: 200 }]);
    expect(await storedInRow(api, response.body.id)).toEqual({ inRow: false, uri: `s3:/${key}` });

    const fetched = await download(api, response.body.id);
    expect(fetched.status).toBe(200);
    expect(sha256Hex(fetched.bytes)).toBe(sha256);
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', path: key, signatureValid: true, status: 200 });
  });

  it('serves a promoted version loaded from the bucket', async () => {
    const response = await uploadTo(api, xgboostStyle());
    const promoted = await api.request('POST', `/v1/models/${response.body.id}/promote`, { alias: 'challenger', reason: 'from S3' });
    expect(promoted.status).toBe(200);
    const model = api.app.get(ServedModels).get('challenger');
    expect(model?.version).toBe(response.body.id);
    expect(await model?.predict(new Float32Array(DEMAND_FEATURES.length), 1)).toHaveLength(1);
  });

  it('retries a failing S3 and refuses an artifact whose bytes changed in the bucket', async () => {
    s3.failures.push(500, 503);
    const bytes = parallelTreesStyle();
    const response = await uploadTo(api, bytes);
    expect(response.status).toBe(201);
    expect(s3.requests.slice(-3).map((r) => r.status)).toEqual([500, 503, 200]);

    const key = `/${BUCKET}/models/${sha256Hex(bytes)}.onnx`;
    s3.objects.set(key, Buffer.from(xgboostStyle()));
    const problem = expectProblem(
      await api.request('POST', `/v1/models/${response.body.id}/promote`, { alias: 'challenger', reason: 'tampered' }),
      503,
    );
    expect(problem.detail).toMatch(/is corrupted: its sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    expect(api.app.get(ServedModels).get('challenger')?.version).not.toBe(response.body.id);
  });
});

describe(`S3 artifact store with task-role credentials and refusals (${TEST_DATABASE})`, () => {
  const s3 = new FakeS3({ AKIDROLE: 'role-secret' }, REGION);
  let api: TestApp;

  beforeAll(async () => {
    const endpoint = await s3.start();
    s3.containerCredentials = { AccessKeyId: 'AKIDROLE', SecretAccessKey: 'role-secret', Token: 'role-token', Expiration: new Date(Date.now() + 3_600_000).toISOString() };
    api = await startTestApp({
      MODEL_BUCKET: BUCKET,
      MODEL_BUCKET_PREFIX: 'artifacts/dev',
      MODEL_S3_ENDPOINT: endpoint,
      AWS_REGION: REGION,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/credentials`,
    });
  });
  afterAll(async () => {
    await api.close();
    await s3.stop();
  });

  it('signs with the task role’s credentials, fetched once while they are valid', async () => {
    const first = await uploadTo(api, lightGbmStyle());
    const second = await uploadTo(api, xgboostStyle());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.artifactLocation).toMatch(new RegExp(`^s3://${BUCKET}/artifacts/dev/[0-9a-f]{64}\\.onnx$`));
    expect(s3.requests.map((r) => [r.accessKeyId, r.sessionToken, r.signatureValid])).toEqual([
      ['AKIDROLE', 'role-token', true],
      ['AKIDROLE', 'role-token', true],
    ]);
    expect(s3.credentialRequests).toBe(1);
  });

  it('stores nothing when S3 refuses the artifact', async () => {
    s3.containerCredentials = null;
    s3.failures.push(403);
    const before = await versionCount(api);
    const problem = expectProblem(await uploadTo(api, parallelTreesStyle()), 503);
    expect(problem.detail).toMatch(/^S3 PUT s3:\/\/dynaprice-models\/artifacts\/dev\/[0-9a-f]{64}\.onnx: 403 InternalError \(injected failure\)$/);
    expect(await versionCount(api)).toBe(before);
  });
});

describe(`file artifact store (${TEST_DATABASE})`, () => {
  let dir: string;
  let api: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dynaprice-artifacts-'));
    api = await startTestApp({ MODEL_ARTIFACT_STORE: 'file', MODEL_ARTIFACT_DIR: dir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each artifact once, read-only, under its sha256, and reads it back checked', async () => {
    const bytes = lightGbmStyle();
    const sha256 = sha256Hex(bytes);
    const response = await uploadTo(api, bytes);
    expect(response.status).toBe(201);
    const path = join(dir, sha256.slice(0, 2), `${sha256}.onnx`);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect(await storedInRow(api, response.body.id)).toEqual({ inRow: false, uri: `file://${path}` });
    expect(sha256Hex((await download(api, response.body.id)).bytes)).toBe(sha256);
  });

  it('never lets a version whose artifact is missing or altered take traffic', async () => {
    const bytes = xgboostStyle();
    const sha256 = sha256Hex(bytes);
    const response = await uploadTo(api, bytes);
    const path = join(dir, sha256.slice(0, 2), `${sha256}.onnx`);
    await chmod(path, 0o644);
    await writeFile(path, lightGbmStyle());
    let problem = expectProblem(await api.request('POST', `/v1/models/${response.body.id}/promote`, { reason: 'altered on disk' }), 503);
    expect(problem.detail).toMatch(/is corrupted/);
    await unlink(path);
    problem = expectProblem(await api.request('POST', `/v1/models/${response.body.id}/promote`, { reason: 'deleted on disk' }), 503);
    expect(problem.detail).toBe(`the artifact file://${path} is missing from ${dir}`);
    expect((await api.request('GET', '/v1/models/aliases')).body).toEqual([]);
    // Uploading the same bytes again writes the artifact back; the version stays the same.
    const again = await uploadTo(api, bytes);
    expect(again.body).toMatchObject({ id: response.body.id, created: false });
    expect(existsSync(path)).toBe(true);
    expect((await api.request('POST', `/v1/models/${response.body.id}/promote`, { reason: 'restored' })).status).toBe(200);
  });
});
