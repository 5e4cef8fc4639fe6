import { createModelArtifacts, exportOnnx, syntheticDemand, SYNTHETIC_FEATURES, trainGbdt, TreeEnsembleEvaluator } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { onnx } from 'onnx-proto';
import { OrtDemandModel } from './ort-demand-model';

const data = syntheticDemand(3000, 2);
const model = trainGbdt({ features: data.features, rows: data.rows, target: data.units }, { features: SYNTHETIC_FEATURES, params: { numTrees: 40, targetTransform: 'log1p' } });
const { onnx: bytes, card } = createModelArtifacts(model, { targetName: 'units', createdBy: 'spec', createdAt: '2024-06-01T00:00:00Z' });

describe(OrtDemandModel.name, () => {
  let demand: OrtDemandModel;
  beforeAll(async () => {
    demand = await OrtDemandModel.create(bytes, { version: card.sha256 ?? '', numFeatures: 12 });
  });
  afterAll(() => demand.release());

  it('predicts expected units like the trained model, reading names and feature count from the session', async () => {
    expect(demand.inputName).toBe('features');
    expect(demand.outputName).toBe('units');
    expect(demand.numFeatures).toBe(12);
    expect(demand.version).toBe(card.sha256);
    const rows = 500;
    const features = data.features.subarray(0, rows * 12);
    const predicted = await demand.predict(features, rows);
    const reference = TreeEnsembleEvaluator.fromModel(model).evaluate(features, rows);
    expect(predicted).toHaveLength(rows);
    for (let i = 0; i < rows; i++) expect(Math.abs((predicted[i] as number) - (reference[i] as number))).toBeLessThanOrEqual(1e-5 * (reference[i] as number));
  });

  it('answers concurrent requests independently', async () => {
    const one = data.features.subarray(0, 12);
    const two = data.features.subarray(12, 24);
    const [a, b, c] = await Promise.all([demand.predict(one, 1), demand.predict(two, 1), demand.predict(data.features.subarray(0, 24), 2)]);
    expect([a[0], b[0]]).toEqual(Array.from(c as Float32Array));
  });

  it('refuses a feature matrix of the wrong size', async () => {
    await expect(demand.predict(new Float32Array(11), 1)).rejects.toThrow(/expected 1 × 12 = 12 values, got 11/);
    await expect(demand.predict(new Float32Array(0), 0)).resolves.toHaveLength(0);
  });

  it('refuses to load a model whose feature count differs from the caller’s', async () => {
    await expect(OrtDemandModel.create(bytes, { version: 'v', numFeatures: 10 })).rejects.toThrow(/expects 12 features, the caller has 10/);
  });

  it('refuses bytes that onnxruntime cannot load, with a one-line validation error', async () => {
    const error = await OrtDemandModel.create(new TextEncoder().encode('not a model'), { version: 'v', logSeverityLevel: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toMatch(/^model: onnxruntime cannot load it: /);
    expect((error as DomainError).message).not.toContain('\n');
  });

  it('uses the model’s own input and output names', async () => {
    const decoded = onnx.ModelProto.decode(exportOnnx(trainGbdt({ features: data.features, rows: data.rows, target: data.units }, { features: SYNTHETIC_FEATURES, params: { numTrees: 3 } })));
    const graph = decoded.graph as onnx.GraphProto;
    (graph.node[0] as onnx.NodeProto).input = ['x'];
    (graph.node[0] as onnx.NodeProto).output = ['demand'];
    (graph.input[0] as onnx.ValueInfoProto).name = 'x';
    (graph.output[0] as onnx.ValueInfoProto).name = 'demand';
    const renamed = await OrtDemandModel.create(onnx.ModelProto.encode(decoded).finish(), { version: 'renamed' });
    try {
      expect([renamed.inputName, renamed.outputName]).toEqual(['x', 'demand']);
      expect(await renamed.predict(data.features.subarray(0, 12), 1)).toHaveLength(1);
    } finally {
      await renamed.release();
    }
  });

  it('stops predicting once released', async () => {
    const short = await OrtDemandModel.create(bytes, { version: 'short-lived' });
    await short.release();
    await expect(short.predict(data.features.subarray(0, 12), 1)).rejects.toThrow(/released/);
  });
});
