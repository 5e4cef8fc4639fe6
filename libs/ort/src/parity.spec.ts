import {
  createModelArtifacts,
  inspectOnnx,
  loadTreeEnsemble,
  syntheticDemand,
  SYNTHETIC_FEATURES,
  trainGbdt,
  TreeEnsembleEvaluator,
  type GbdtModel,
  type GbdtParams,
} from '@dynaprice/gbdt';
import { SeededRandom } from '@dynaprice/kernel';
import { onnx } from 'onnx-proto';
import { OrtDemandModel } from './ort-demand-model';

const ROWS = 100_000;
const F = SYNTHETIC_FEATURES.length;

/** Relative difference ≤ 1e-5 everywhere (exact equality where ORT gives 0). */
function expectParity(ts: Float32Array, ort: Float32Array): void {
  expect(ts.length).toBe(ort.length);
  let worst = 0;
  let worstRow = -1;
  for (let i = 0; i < ts.length; i++) {
    const a = ts[i] as number;
    const b = ort[i] as number;
    const rel = a === b ? 0 : Math.abs(a - b) / Math.abs(b);
    if (!(rel <= worst)) {
      worst = rel;
      worstRow = i;
    }
  }
  expect(worst <= 1e-5 ? 'within 1e-5' : `row ${worstRow}: TS ${ts[worstRow]} vs ORT ${ort[worstRow]} (relative ${worst})`).toBe('within 1e-5');
}

/**
 * Random rows that probe the model's edges: values exactly on split thresholds, far outside the
 * training range, NaN, and category codes that are negative, fractional, huge or unseen.
 */
function probeRows(model: GbdtModel, rows: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const thresholds: number[][] = model.features.map(() => []);
  for (const tree of model.trees) for (const node of tree.nodes) if (!node.isLeaf && node.categories === null) thresholds[node.feature]?.push(node.threshold);
  const out = new Float32Array(rows * F);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < F; f++) {
      const u = rng.next();
      let v: number;
      if (u < 0.06) v = Number.NaN;
      else if (model.features[f]?.type === 'categorical') v = u < 0.1 ? rng.pick([-1, -0, 2.5, 1e9, 65_537, 254, 300]) : rng.int(0, 12);
      else if (u < 0.3 && (thresholds[f]?.length ?? 0) > 0) v = rng.pick(thresholds[f] as number[]);
      else if (u < 0.35) v = rng.pick([-1e30, 1e30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0]);
      else v = rng.normal(5, 15);
      out[r * F + f] = v;
    }
  }
  return out;
}

const data = syntheticDemand(20_000, 11);

function trained(params: Partial<GbdtParams>): GbdtModel {
  return trainGbdt(
    { features: data.features, rows: data.rows, target: data.units, time: data.day },
    { features: SYNTHETIC_FEATURES, params: { numTrees: 120, maxLeaves: 31, learningRate: 0.1, validationFraction: 0.2, earlyStoppingRounds: 30, ...params } },
  );
}

describe('TypeScript evaluator vs onnxruntime-node', () => {
  const cases: [string, Partial<GbdtParams>][] = [
    ['squared loss on log1p(units)', { targetTransform: 'log1p' }],
    ['Poisson loss', { loss: 'poisson' }],
    ['squared loss on units, with row and feature sampling', { rowSubsample: 0.8, featureSubsample: 0.75 }],
  ];

  it.each(cases)('agree on 100,000 random rows with NaNs and out-of-range category codes: %s', async (_name, params) => {
    const model = trained(params);
    expect(model.trees.some((t) => t.nodes.some((n) => n.categories !== null && n.categories.length > 1))).toBe(true);
    const { onnx: bytes, card } = createModelArtifacts(model, { targetName: 'units', createdBy: 'spec', createdAt: '2024-06-01T00:00:00Z' });
    const rows = probeRows(model, ROWS, 99);
    const ort = await OrtDemandModel.create(bytes, { version: card.sha256 ?? '' });
    try {
      const fromOrt = await ort.predict(rows, ROWS);
      expectParity(TreeEnsembleEvaluator.fromModel(model).evaluate(rows, ROWS), fromOrt);
      expectParity(loadTreeEnsemble(bytes).evaluate(rows, ROWS), fromOrt);
    } finally {
      await ort.release();
    }
  }, 60_000);
});

// ------------------------------------------------------------------------------------------
// Hand-built ensembles, to check the ONNX loader against onnxruntime on encodings we never write.

const Attr = onnx.AttributeProto.AttributeType;
interface Node {
  tree: number;
  id: number;
  feature: number;
  mode: string;
  value: number;
  yes: number;
  no: number;
  missingTrue?: number;
}

function ensembleBytes(nodes: Node[], leaves: { tree: number; id: number; weight: number }[], options: { base?: number[]; post?: onnx.INodeProto[]; asTensor?: boolean } = {}): Uint8Array {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const floatTensor = (values: number[]): onnx.ITensorProto => ({ dataType: onnx.TensorProto.DataType.FLOAT, dims: [values.length], floatData: values });
  const floats = (name: string, values: number[]): onnx.IAttributeProto =>
    options.asTensor ? { name: `${name}_as_tensor`, type: Attr.TENSOR, t: floatTensor(values) } : { name, type: Attr.FLOATS, floats: values };
  const attribute: onnx.IAttributeProto[] = [
    { name: 'n_targets', type: Attr.INT, i: 1 },
    { name: 'nodes_treeids', type: Attr.INTS, ints: nodes.map((n) => n.tree) },
    { name: 'nodes_nodeids', type: Attr.INTS, ints: nodes.map((n) => n.id) },
    { name: 'nodes_featureids', type: Attr.INTS, ints: nodes.map((n) => n.feature) },
    { name: 'nodes_modes', type: Attr.STRINGS, strings: nodes.map((n) => text(n.mode)) },
    floats('nodes_values', nodes.map((n) => n.value)),
    { name: 'nodes_truenodeids', type: Attr.INTS, ints: nodes.map((n) => n.yes) },
    { name: 'nodes_falsenodeids', type: Attr.INTS, ints: nodes.map((n) => n.no) },
    { name: 'nodes_missing_value_tracks_true', type: Attr.INTS, ints: nodes.map((n) => n.missingTrue ?? 0) },
    { name: 'target_treeids', type: Attr.INTS, ints: leaves.map((l) => l.tree) },
    { name: 'target_nodeids', type: Attr.INTS, ints: leaves.map((l) => l.id) },
    { name: 'target_ids', type: Attr.INTS, ints: leaves.map(() => 0) },
    floats('target_weights', leaves.map((l) => l.weight)),
  ];
  if (options.base) attribute.push(floats('base_values', options.base));
  const post = options.post ?? [];
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: {
      name: 'hand_built',
      node: [{ opType: 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', input: ['x'], output: [post.length > 0 ? 'score' : 'y'], attribute }, ...post],
      initializer: [{ name: 'two', dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [2] }],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 1 }] } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Rows around the thresholds used below (0.5, 2, 1), with NaNs. */
function handRows(rows: number): Float32Array {
  const rng = new SeededRandom(5);
  return Float32Array.from({ length: rows * 3 }, () => {
    const u = rng.next();
    return u < 0.1 ? Number.NaN : u < 0.4 ? rng.pick([0.5, 2, 1, 0, 3]) : Math.fround(rng.uniform(-1, 4));
  });
}

async function ortPredict(bytes: Uint8Array, rows: Float32Array): Promise<Float32Array> {
  const model = await OrtDemandModel.create(bytes, { version: 'hand-built' });
  try {
    return await model.predict(rows, rows.length / 3);
  } finally {
    await model.release();
  }
}

// Tree 0: x0 < 0.5 ? (x1 >= 2 ? 10 : 20) : 30. Tree 1: x2 > 1 ? 100 : (x1 != 2 ? 200 : 300).
const tree0: Node[] = [
  { tree: 0, id: 7, feature: 0, mode: 'BRANCH_LT', value: 0.5, yes: 3, no: 9, missingTrue: 1 },
  { tree: 0, id: 3, feature: 1, mode: 'BRANCH_GTE', value: 2, yes: 1, no: 2 },
  { tree: 0, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  { tree: 0, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  { tree: 0, id: 9, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
];
const tree1: Node[] = [
  { tree: 1, id: 0, feature: 2, mode: 'BRANCH_GT', value: 1, yes: 1, no: 2 },
  { tree: 1, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  { tree: 1, id: 2, feature: 1, mode: 'BRANCH_NEQ', value: 2, yes: 3, no: 4, missingTrue: 0 },
  { tree: 1, id: 3, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  { tree: 1, id: 4, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
];
const leaves = [
  { tree: 0, id: 1, weight: 10 },
  { tree: 0, id: 2, weight: 20 },
  { tree: 0, id: 9, weight: 30 },
  { tree: 1, id: 1, weight: 100 },
  { tree: 1, id: 3, weight: 200 },
  { tree: 1, id: 4, weight: 300 },
];
/** Roots first (onnxruntime needs that), everything else reversed. */
const reversedButRootsFirst = [tree1[0], ...tree1.slice(1).reverse(), tree0[0], ...tree0.slice(1).reverse()] as Node[];

describe(loadTreeEnsemble.name, () => {
  const rows = handRows(5000);

  it('gives onnxruntime’s numbers for BRANCH_LT / GTE / GT / NEQ trees with base_values', async () => {
    const bytes = ensembleBytes([...tree0, ...tree1], leaves, { base: [0.25] });
    expectParity(loadTreeEnsemble(bytes).evaluate(rows, 5000), await ortPredict(bytes, rows));
    expect(loadTreeEnsemble(bytes).evaluate(Float32Array.from([0.4, 2, 1.5, Number.NaN, 0, 0, 0.5, 2, 1]), 3)).toEqual(Float32Array.from([110.25, 220.25, 330.25]));
  });

  it('gives onnxruntime’s numbers when trees and their children are listed in reverse order', async () => {
    const bytes = ensembleBytes(reversedButRootsFirst, [...leaves].reverse(), { base: [-3] });
    expect(inspectOnnx(bytes).problems).toEqual([]);
    expectParity(loadTreeEnsemble(bytes).evaluate(rows, 5000), await ortPredict(bytes, rows));
  });

  it('gives onnxruntime’s numbers for *_as_tensor attributes and element-wise steps after the ensemble', async () => {
    const post: onnx.INodeProto[] = [
      { opType: 'Div', input: ['score', 'two'], output: ['half'] },
      { opType: 'Exp', input: ['half'], output: ['e'] },
      { opType: 'Sub', input: ['two', 'e'], output: ['y'] },
    ];
    const scaled = leaves.map((l) => ({ ...l, weight: l.weight / 100 }));
    const bytes = ensembleBytes([...tree0, ...tree1], scaled, { base: [0.5], post, asTensor: true });
    expectParity(loadTreeEnsemble(bytes).evaluate(rows, 5000), await ortPredict(bytes, rows));
  });

  it('reads a tree from its parent links in any node order, and flags orders onnxruntime misreads', () => {
    const fullyReversed = [...tree0, ...tree1].reverse();
    const bytes = ensembleBytes(fullyReversed, leaves);
    const problems = inspectOnnx(bytes).problems;
    expect(problems).toContain('tree 1: its first listed node 4 is not its root (onnxruntime takes the first node as the root)');
    expect(problems).toContain('tree 0: its first listed node 9 is not its root (onnxruntime takes the first node as the root)');
    const interleaved = ensembleBytes([tree0[0], tree1[0], ...tree0.slice(1), ...tree1.slice(1)] as Node[], leaves);
    expect(inspectOnnx(interleaved).problems).toContain('tree 0: its nodes are not listed contiguously (onnxruntime needs them together)');
    const semantic = ensembleBytes([...tree0, ...tree1], leaves);
    expect(loadTreeEnsemble(bytes).evaluate(rows, 5000)).toEqual(loadTreeEnsemble(semantic).evaluate(rows, 5000));
  });

  it('refuses graphs it cannot evaluate', () => {
    const cyclic = ensembleBytes(
      [
        { tree: 0, id: 0, feature: 0, mode: 'BRANCH_LEQ', value: 1, yes: 1, no: 2 },
        { tree: 0, id: 1, feature: 0, mode: 'BRANCH_LEQ', value: 1, yes: 0, no: 2 },
        { tree: 0, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
      ],
      [{ tree: 0, id: 2, weight: 1 }],
    );
    expect(() => loadTreeEnsemble(cyclic)).toThrow(/no root|cycle/);
    const unsupported = ensembleBytes([...tree0], leaves.slice(0, 3), { post: [{ opType: 'Softmax', input: ['score'], output: ['y'] }] });
    expect(() => loadTreeEnsemble(unsupported)).toThrow(/unsupported node Softmax/);
  });
});
