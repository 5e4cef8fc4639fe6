import { inspectOnnx, loadTreeEnsemble, MODEL_CARD_METADATA_KEY, sha256Hex } from '@dynaprice/gbdt';
import { DEMAND_FEATURES, trainDemandModel } from '@dynaprice/pricing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { onnx } from 'onnx-proto';
import type { DataSource } from 'typeorm';
import { ModelRegistry } from '../src/models/model-registry.service';
import { ServedModels } from '../src/models/served-models';
import { ensembleOnnx, lightGbmStyle, multipart, parallelTreesStyle, servedCard, withEmbeddedCard, xgboostStyle, type TreeNode } from './support/onnx-models';
import { expectProblem, SMALL_DEMO, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

describe(`model registry (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    // Models up to 4 MiB, JSON bodies up to 1 MiB: the model limit, not the body limit, governs uploads.
    api = await startTestApp({ ...SMALL_DEMO, MODEL_MAX_BYTES: String(4 * 1024 * 1024), BODY_LIMIT_BYTES: String(1024 * 1024) });
    dataSource = api.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => api.close());

  function upload(model: Uint8Array | string, card?: Record<string, unknown> | string, options: { cardAsField?: boolean; filename?: string } = {}): Promise<TestResponse> {
    const parts: Parameters<typeof multipart>[0] = [];
    if (card !== undefined) {
      const json = typeof card === 'string' ? card : JSON.stringify(card);
      parts.push(options.cardAsField ? { name: 'card', value: json } : { name: 'card', value: json, filename: 'model-card.json', contentType: 'application/json' });
    }
    parts.push({ name: 'model', value: model, filename: options.filename ?? 'model.onnx' });
    const form = multipart(parts);
    return api.request('POST', '/v1/models', form.body, { 'content-type': form.contentType });
  }

  async function versionCount(): Promise<number> {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM model_versions`)) as Array<{ n: number }>;
    return Number(row?.n);
  }

  /** A model of the served schema trained here, with its card (different from the seeded champion). */
  async function trainedModel(seed: number): Promise<{ onnx: Uint8Array; card: Record<string, unknown> }> {
    const data = await api.app.get(ModelRegistry).trainingSet();
    const artifacts = trainDemandModel(data, { createdBy: 'spec', createdAt: '2026-03-01T00:00:00.000Z', params: { seed, numTrees: 40 } });
    return { onnx: artifacts.onnx, card: artifacts.card as unknown as Record<string, unknown> };
  }

  it('lists the seeded champion with its card summary, and serves its card and bytes', async () => {
    const list = await api.request('GET', '/v1/models');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const champion = list.body.items.find((item: { aliases: string[] }) => item.aliases.includes('champion'));
    // Embedded mode keeps artifacts in the database; with PostgreSQL the default store is a folder.
    const location = TEST_DATABASE === 'pglite' ? 'database' : expect.stringMatching(/^file:\/\/\/.+\.onnx$/);
    expect(champion).toMatchObject({ id: expect.stringMatching(/^m-[0-9a-f]{12}$/), source: 'trainer', name: 'demand', artifactLocation: location });
    expect(champion.features.map((f: { name: string }) => f.name)).toEqual(DEMAND_FEATURES.map((f) => f.name));

    const card = await api.request('GET', `/v1/models/${champion.id}/card`);
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ sha256: champion.sha256, referenceDistributions: expect.any(Array) });

    const download = await api.app.inject({ method: 'GET', url: `/v1/models/${champion.id}/artifact`, headers: { 'x-api-key': await api.apiKey('admin') } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['etag']).toBe(`"${champion.sha256}"`);
    expect(download.headers['content-disposition']).toContain(`${champion.id}.onnx`);
    expect(sha256Hex(download.rawPayload)).toBe(champion.sha256);
  });

  it('stores an upload as a new version; the same bytes again return that version and store nothing', async () => {
    const { onnx: bytes, card } = await trainedModel(101);
    const before = await versionCount();
    const first = await upload(bytes, card);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: `m-${sha256Hex(bytes).slice(0, 12)}`, sha256: sha256Hex(bytes), source: 'upload', created: true, cardEmbedded: false, aliases: [] });
    expect(await versionCount()).toBe(before + 1);

    const again = await upload(bytes, { ...card, name: 'renamed' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, created: false, name: 'demand' });
    expect(await versionCount()).toBe(before + 1);
    expect((await api.request('GET', `/v1/models/${first.body.id}/card`)).body.name).toBe('demand');
  });

  it('takes the card embedded in the ONNX metadata, or sent as a text field', async () => {
    const embedded = withEmbeddedCard(lightGbmStyle, servedCard({ name: 'embedded-card' }));
    const fromMetadata = await upload(embedded);
    expect(fromMetadata.status).toBe(201);
    expect(fromMetadata.body).toMatchObject({ name: 'embedded-card', cardEmbedded: true });

    const asField = await upload(xgboostStyle({ producer: 'field-card' }), servedCard({ name: 'field-card' }), { cardAsField: true });
    expect(asField.status).toBe(201);
    expect(asField.body).toMatchObject({ name: 'field-card', cardEmbedded: false });
  });

  it('keeps versions immutable: no route changes one, and the database refuses an UPDATE', async () => {
    const { body: listed } = await api.request('GET', '/v1/models');
    const id = listed.items[0].id as string;
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const response = await api.request(method, `/v1/models/${id}`, { card: { name: 'x' } });
      expect(response.status).toBe(404);
    }
    await expect(dataSource.query(`UPDATE model_versions SET card = '{}'::jsonb WHERE id = $1`, [id])).rejects.toThrow(/immutable/);
    await expect(dataSource.query(`UPDATE model_versions SET created_by = 'mallory'`)).rejects.toThrow(/immutable/);
    const after = await api.request('GET', `/v1/models/${id}`);
    expect(after.body).toMatchObject({ id, createdBy: listed.items[0].createdBy, name: listed.items[0].name });
  });

  describe('bring your own model', () => {
    const shapes: Array<[string, () => Uint8Array]> = [
      ['LightGBM (BRANCH_LEQ, depth-first, base_values 0)', () => lightGbmStyle()],
      ['XGBoost (BRANCH_LT, breadth-first ids out of order, base_values 0.5)', () => xgboostStyle()],
      ['several trees per output (six trees, weights listed apart from the nodes, base_values 1)', () => parallelTreesStyle()],
    ];

    it.each(shapes)('accepts %s and serves it with the reference evaluator’s numbers', async (_name, build) => {
      const bytes = build();
      expect(inspectOnnx(bytes).problems).toEqual([]);
      const response = await upload(bytes, servedCard({ name: _name }));
      expect(response.status).toBe(201);
      const model = await api.app.get(ServedModels).version(response.body.id);
      const rows = Float32Array.from({ length: 40 * DEMAND_FEATURES.length }, (_, i) => ((i * 7919) % 97) / 8);
      const predicted = await model.predict(rows, 40);
      const expected = loadTreeEnsemble(bytes).evaluate(rows, 40);
      for (let i = 0; i < 40; i++) expect(predicted[i]).toBeCloseTo(expected[i] as number, 5);
      expect(new Set(Array.from(predicted)).size).toBeGreaterThan(1);
    });

    it('refuses a leaf listed with several weights (onnxruntime would use only the first), naming the leaf', async () => {
      const before = await versionCount();
      const problem = expectProblem(await upload(parallelTreesStyle({ duplicateWeights: true }), servedCard()), 400);
      expect(problem.detail).toBe('model: leaf 1 of tree 4 has 2 target weights; onnxruntime uses only the first, so list one weight per leaf');
      expect(await versionCount()).toBe(before);
    });

    it('refuses a node order onnxruntime would misread, naming the tree', async () => {
      const nodes: TreeNode[] = [
        { tree: 0, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
        { tree: 0, id: 0, feature: 0, mode: 'BRANCH_LEQ', value: 0.8, yes: 1, no: 2 },
        { tree: 0, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
      ];
      const before = await versionCount();
      const problem = expectProblem(await upload(ensembleOnnx(nodes, [{ tree: 0, id: 1, weight: 2 }, { tree: 0, id: 2, weight: 1 }]), servedCard()), 400);
      expect(problem.detail).toMatch(/tree 0: its first listed node 1 is not its root/);
      expect(await versionCount()).toBe(before);
    });
  });

  describe('validation (nothing is stored on refusal)', () => {
    let before: number;
    beforeEach(async () => {
      before = await versionCount();
    });
    afterEach(async () => {
      expect(await versionCount()).toBe(before);
    });

    it('refuses a card whose features differ from the served schema, naming the feature', async () => {
      const names = DEMAND_FEATURES.map((f) => ({ name: f.name as string, type: f.type as string }));
      const swapped = [...names];
      [swapped[3], swapped[4]] = [swapped[4] as (typeof names)[number], swapped[3] as (typeof names)[number]];
      let problem = expectProblem(await upload(lightGbmStyle(), servedCard({ features: swapped })), 400);
      expect(problem.detail).toBe('card.features[3]: feature "expiring_units" is column 4 of the served schema, not 3 (column 3 is "stock_units") (and 1 more)');
      expect(problem.errors?.map((e) => e.field)).toEqual(['card.features[3]', 'card.features[4]']);

      problem = expectProblem(await upload(lightGbmStyle(), servedCard({ features: names.slice(0, 9) })), 400);
      expect(problem.detail).toBe('card.features: feature "price_ratio_7d" (column 9 of the served schema) is missing');

      const renamed = names.map((f, i) => (i === 8 ? { name: 'sales_velocity', type: 'numeric' } : f));
      problem = expectProblem(await upload(lightGbmStyle(), servedCard({ features: renamed })), 400);
      expect(problem.detail).toMatch(/^card\.features\[8\]: feature "sales_velocity" is not in the served schema/);
      expect(problem.errors).toContainEqual({ field: 'card.features', message: 'feature "velocity_7d" (column 8 of the served schema) is missing' });

      const retyped = names.map((f) => (f.name === 'day_of_week' ? { ...f, type: 'numeric' } : f));
      problem = expectProblem(await upload(lightGbmStyle(), servedCard({ features: retyped })), 400);
      expect(problem.detail).toBe('card.features[5]: feature "day_of_week" must be categorical, the card declares numeric');
    });

    it('refuses a graph whose input does not match the declared features', async () => {
      let problem = expectProblem(await upload(lightGbmStyle({ features: 12 }), servedCard()), 400);
      expect(problem.detail).toBe('model: input "input" has 12 columns, the card declares 10 features');
      problem = expectProblem(await upload(lightGbmStyle({ inputType: 11 }), servedCard()), 400);
      expect(problem.detail).toBe('model: input "input" must be float32, it is float64');
      problem = expectProblem(await upload(lightGbmStyle({ extraInputs: ['customer_segment'] }), servedCard()), 400);
      expect(problem.detail).toMatch(/^model: the graph must have one input \(the feature matrix\), it has 2: input, customer_segment/);
    });

    it('allows only the tree ensemble and element-wise operators', async () => {
      const softmax = lightGbmStyle({ post: [{ name: 'squash', opType: 'Softmax', input: ['score'], output: ['variable'] }] });
      let problem = expectProblem(await upload(softmax, servedCard()), 400);
      expect(problem.detail).toMatch(/^model: operator Softmax \(node "squash"\) is not allowed: a served model is one ai\.onnx\.ml\.TreeEnsembleRegressor followed by element-wise Identity, Constant, Add/);

      const classifier = lightGbmStyle({ ensembleOp: 'TreeEnsembleClassifier' });
      problem = expectProblem(await upload(classifier, servedCard()), 400);
      expect(problem.detail).toMatch(/^model: operator ai\.onnx\.ml\.TreeEnsembleClassifier \(node "ensemble"\) is not allowed/);

      const matmul = lightGbmStyle({
        post: [{ name: 'mix', opType: 'MatMul', input: ['score', 'w'], output: ['variable'] }],
        initializers: [{ name: 'w', dataType: 1, dims: [1, 1], floatData: [2] }],
      });
      problem = expectProblem(await upload(matmul, servedCard()), 400);
      expect(problem.detail).toMatch(/^model: operator MatMul \(node "mix"\) is not allowed/);

      // Element-wise steps are fine: expm1 of a log-scale output, clipped at zero.
      const expm1 = lightGbmStyle({
        post: [
          { name: 'exp', opType: 'Exp', input: ['score'], output: ['e'] },
          { name: 'minus', opType: 'Sub', input: ['e', 'one'], output: ['m'] },
          { name: 'clip', opType: 'Relu', input: ['m'], output: ['variable'] },
        ],
        initializers: [{ name: 'one', dataType: 1, dims: [], floatData: [1] }],
      });
      const accepted = await upload(expm1, servedCard());
      expect(accepted.status).toBe(201);
      before += 1;
    });

    it('refuses protected attributes as features', async () => {
      const withAge = DEMAND_FEATURES.map((f, i) => (i === 7 ? { name: 'Age', type: 'numeric' } : { name: f.name, type: f.type }));
      const problem = expectProblem(await upload(lightGbmStyle(), servedCard({ features: withAge })), 400);
      expect(problem.detail).toBe('protected attribute "Age" cannot be used as features');
      expect(problem.errors).toEqual([{ field: 'features.Age', message: 'is a protected attribute' }]);
    });

    it('refuses a non-ONNX file, a truncated one and a corrupted one with a 400 problem', async () => {
      const good = lightGbmStyle();
      for (const [what, bytes] of [
        ['text', new TextEncoder().encode('definitely not a model, just some text that is not protobuf')],
        ['truncated', good.slice(0, Math.floor(good.length / 2))],
        ['corrupted', Uint8Array.from(good, (b, i) => (i > 40 && i % 3 === 0 ? b ^ 0x5a : b))],
        ['empty', new Uint8Array(0)],
      ] as const) {
        const problem = expectProblem(await upload(bytes, servedCard()), 400);
        expect({ what, detail: problem.detail }).toEqual({ what, detail: expect.stringMatching(/^model: /) });
      }
    });

    it('refuses an upload without a card, a card that is not JSON, or a card of other bytes', async () => {
      expect(expectProblem(await upload(lightGbmStyle()), 400).detail).toMatch(/^card: no model card: send it as the "card" part, or embed it/);
      expect(expectProblem(await upload(lightGbmStyle(), '{"features": ['), 400).detail).toMatch(/^card: is not valid JSON/);
      expect(expectProblem(await upload(lightGbmStyle(), servedCard({ sha256: 'ab'.repeat(32) })), 400).detail).toMatch(/^card\.sha256: belongs to another file/);
      const form = multipart([{ name: 'card', value: JSON.stringify(servedCard()), filename: 'card.json' }]);
      expect(expectProblem(await api.request('POST', '/v1/models', form.body, { 'content-type': form.contentType }), 400).detail).toMatch(/^model: is required/);
    });

    it('refuses a model that keeps its weights in an external file', async () => {
      const external = lightGbmStyle({
        post: [{ name: 'scale', opType: 'Mul', input: ['score', 'w'], output: ['variable'] }],
        initializers: [{ name: 'w', dataType: 1, dims: [], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: '/etc/passwd' }] }],
      });
      expect(expectProblem(await upload(external, servedCard()), 400).detail).toBe('model: tensor "w" keeps its data in an external file; upload a self-contained ONNX file');
    });

    it('answers a declared 1 GB upload with 413 before reading it', async () => {
      const gigabyte = 1024 * 1024 * 1024;
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent >= gigabyte) return this.push(null);
          const chunk = Buffer.alloc(Math.min(1024 * 1024, gigabyte - sent));
          sent += chunk.length;
          this.push(chunk);
        },
      });
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/models',
        payload: body,
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': String(gigabyte), 'x-api-key': await api.apiKey('admin') },
      });
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().detail).toBe(`model: the upload declares ${gigabyte} bytes; model files up to ${4 * 1024 * 1024} bytes are accepted (MODEL_MAX_BYTES)`);
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    });

    it('cuts off a streamed upload (no length) once the file passes the limit', async () => {
      const boundary = 'streamedboundary';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"; filename="huge.onnx"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      const total = 1024 * 1024 * 1024;
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent === 0) this.push(head);
          if (sent >= total) {
            this.push(Buffer.from(`\r\n--${boundary}--\r\n`));
            return this.push(null);
          }
          const chunk = Buffer.alloc(4 * 1024 * 1024, 7);
          sent += chunk.length;
          this.push(chunk);
        },
      });
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/models',
        payload: body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked', 'x-api-key': await api.apiKey('admin') },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringMatching(/^model: the upload is too large/) });
    }, 120_000);

    it('refuses an unknown text field and a second model part', async () => {
      const extra = multipart([
        { name: 'model', value: lightGbmStyle(), filename: 'model.onnx' },
        { name: 'card', value: JSON.stringify(servedCard()), filename: 'card.json' },
        { name: 'owner', value: 'me' },
      ]);
      expectProblem(await api.request('POST', '/v1/models', extra.body, { 'content-type': extra.contentType }), 400);
      const two = multipart([
        { name: 'model', value: lightGbmStyle(), filename: 'a.onnx' },
        { name: 'model', value: xgboostStyle(), filename: 'b.onnx' },
      ]);
      expectProblem(await api.request('POST', '/v1/models', two.body, { 'content-type': two.contentType }), 400);
    });
  });

  it('404s an unknown version and 400s a malformed id', async () => {
    expectProblem(await api.request('GET', '/v1/models/m-000000000000'), 404);
    expectProblem(await api.request('GET', '/v1/models/m-000000000000/artifact'), 404);
    expect(expectProblem(await api.request('GET', '/v1/models/latest'), 400).field).toBe('id');
  });

  it('checks the card’s reference distributions', async () => {
    const bad = servedCard({}, [{ feature: 'price_ratio', type: 'numeric', edges: [0.9, 0.8], proportions: [0.3, 0.3, 0.4], missing: 0 }]);
    expect(expectProblem(await upload(lightGbmStyle(), bad), 400).detail).toMatch(/^card\.referenceDistributions\[0\]: price_ratio: edges\[1\]/);
    const unknown = servedCard({}, [{ feature: 'age', type: 'numeric', edges: [1], proportions: [0.5, 0.5], missing: 0 }]);
    expect(expectProblem(await upload(lightGbmStyle(), unknown), 400).detail).toMatch(/^card\.referenceDistributions\[0\]\.feature: must name a feature of the card/);
  });

  it('accepts a model larger than the JSON body limit, up to MODEL_MAX_BYTES', async () => {
    const padded = lightGbmStyle({ metadata: { notes: 'x'.repeat(3 * 1024 * 1024) } });
    expect(padded.length).toBeGreaterThan(3 * 1024 * 1024);
    const response = await upload(padded, servedCard({ name: 'padded' }));
    expect(response.status).toBe(201);
    expect(response.body.sizeBytes).toBe(padded.length);
  });

  it('writes the card it was given plus the sha256 of the bytes', async () => {
    const bytes = withEmbeddedCard((options) => parallelTreesStyle({ ...options, producer: 'sha-check' }), servedCard({ name: 'sha-check' }));
    const response = await upload(bytes);
    expect(response.status).toBe(201);
    const card = (await api.request('GET', `/v1/models/${response.body.id}/card`)).body;
    expect(card).toMatchObject({ name: 'sha-check', sha256: sha256Hex(bytes) });
    expect(inspectOnnx(bytes).metadata[MODEL_CARD_METADATA_KEY]).toBeDefined();
  });
});

// Its own app (after the suite's app is closed: in-memory PGlite is one database per process).
describe(`model registry with a configured protected-attribute list (${TEST_DATABASE})`, () => {
  it('refuses features on a configured protected-attribute list', async () => {
    const strict = await startTestApp({ PROTECTED_ATTRIBUTES: 'stock_units, age' });
    try {
      const form = multipart([
        { name: 'card', value: JSON.stringify(servedCard()), filename: 'card.json' },
        { name: 'model', value: lightGbmStyle(), filename: 'model.onnx' },
      ]);
      const problem = expectProblem(await strict.request('POST', '/v1/models', form.body, { 'content-type': form.contentType }), 400);
      expect(problem.detail).toBe('protected attribute "stock_units" cannot be used as features');
    } finally {
      await strict.close();
    }
  });
});
