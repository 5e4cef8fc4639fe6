import { MODEL_CARD_METADATA_KEY } from '@dynaprice/gbdt';
import { categoricalReferenceFromSample, referenceFromSample, type ReferenceDistribution } from '@dynaprice/drift';
import { SeededRandom } from '@dynaprice/kernel';
import { DEMAND_FEATURES } from '@dynaprice/pricing';
import { onnx } from 'onnx-proto';

/**
 * Hand-built ONNX tree ensembles in the shapes other trainers export (LightGBM / XGBoost through
 * onnxmltools): BRANCH_LEQ or BRANCH_LT nodes, depth-first or breadth-first node lists, base_values,
 * several trees, target weights listed apart from the nodes, an output named `variable` [N, 1].
 */

const Attr = onnx.AttributeProto.AttributeType;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface TreeNode {
  tree: number;
  id: number;
  feature: number;
  mode: 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT' | 'LEAF';
  value: number;
  yes: number;
  no: number;
  missingTrue?: number;
}

export interface LeafWeight {
  tree: number;
  id: number;
  weight: number;
}

export interface EnsembleOptions {
  /** Columns of the input (default: the served schema's 10). */
  features?: number;
  base?: number[];
  /** Element-wise (or not) nodes after the ensemble; the ensemble writes `score`, the graph output is `variable`. */
  post?: onnx.INodeProto[];
  initializers?: onnx.ITensorProto[];
  metadata?: Record<string, string>;
  inputName?: string;
  inputType?: number;
  /** Declared input shape; default [N, features]. */
  inputShape?: Array<number | string>;
  extraInputs?: string[];
  producer?: string;
  ensembleOp?: string;
}

export function ensembleOnnx(nodes: TreeNode[], leaves: LeafWeight[], options: EnsembleOptions = {}): Uint8Array {
  const features = options.features ?? DEMAND_FEATURES.length;
  const attribute: onnx.IAttributeProto[] = [
    { name: 'n_targets', type: Attr.INT, i: 1 },
    { name: 'nodes_treeids', type: Attr.INTS, ints: nodes.map((n) => n.tree) },
    { name: 'nodes_nodeids', type: Attr.INTS, ints: nodes.map((n) => n.id) },
    { name: 'nodes_featureids', type: Attr.INTS, ints: nodes.map((n) => n.feature) },
    { name: 'nodes_modes', type: Attr.STRINGS, strings: nodes.map((n) => text(n.mode)) },
    { name: 'nodes_values', type: Attr.FLOATS, floats: nodes.map((n) => n.value) },
    { name: 'nodes_truenodeids', type: Attr.INTS, ints: nodes.map((n) => n.yes) },
    { name: 'nodes_falsenodeids', type: Attr.INTS, ints: nodes.map((n) => n.no) },
    { name: 'nodes_missing_value_tracks_true', type: Attr.INTS, ints: nodes.map((n) => n.missingTrue ?? 0) },
    { name: 'nodes_hitrates', type: Attr.FLOATS, floats: nodes.map(() => 1) },
    { name: 'target_treeids', type: Attr.INTS, ints: leaves.map((l) => l.tree) },
    { name: 'target_nodeids', type: Attr.INTS, ints: leaves.map((l) => l.id) },
    { name: 'target_ids', type: Attr.INTS, ints: leaves.map(() => 0) },
    { name: 'target_weights', type: Attr.FLOATS, floats: leaves.map((l) => l.weight) },
    { name: 'post_transform', type: Attr.STRING, s: text('NONE') },
    { name: 'aggregate_function', type: Attr.STRING, s: text('SUM') },
  ];
  if (options.base) attribute.push({ name: 'base_values', type: Attr.FLOATS, floats: options.base });
  const post = options.post ?? [];
  const inputName = options.inputName ?? 'input';
  const shape = options.inputShape ?? ['N', features];
  const dim = (d: number | string): onnx.TensorShapeProto.IDimension => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: options.producer ?? 'OnnxMLTools',
    producerVersion: '1.12.0',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'byo_model',
      node: [
        { name: 'ensemble', opType: options.ensembleOp ?? 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', input: [inputName], output: [post.length > 0 ? 'score' : 'variable'], attribute },
        ...post,
      ],
      initializer: options.initializers ?? [],
      input: [
        { name: inputName, type: { tensorType: { elemType: options.inputType ?? 1, shape: { dim: shape.map(dim) } } } },
        ...(options.extraInputs ?? []).map((name) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [dim('N'), dim(1)] } } } })),
      ],
      output: [{ name: 'variable', type: { tensorType: { elemType: 1, shape: { dim: [dim('N'), dim(1)] } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

// Served columns: 0 price_ratio, 2 days_to_expiry, 3 stock_units, 8 velocity_7d.

/** LightGBM's shape: BRANCH_LEQ, depth-first node ids, two trees, base_values 0. */
export function lightGbmStyle(options: EnsembleOptions = {}): Uint8Array {
  const nodes: TreeNode[] = [
    { tree: 0, id: 0, feature: 0, mode: 'BRANCH_LEQ', value: 0.85, yes: 1, no: 4 },
    { tree: 0, id: 1, feature: 8, mode: 'BRANCH_LEQ', value: 3, yes: 2, no: 3, missingTrue: 1 },
    { tree: 0, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 0, id: 3, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 0, id: 4, feature: 2, mode: 'BRANCH_LEQ', value: 1.5, yes: 5, no: 6 },
    { tree: 0, id: 5, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 0, id: 6, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 1, id: 0, feature: 3, mode: 'BRANCH_LEQ', value: 10, yes: 1, no: 2 },
    { tree: 1, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 1, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  ];
  const leaves: LeafWeight[] = [
    { tree: 0, id: 2, weight: 4 },
    { tree: 0, id: 3, weight: 9 },
    { tree: 0, id: 5, weight: 2.5 },
    { tree: 0, id: 6, weight: 1.25 },
    { tree: 1, id: 1, weight: -0.5 },
    { tree: 1, id: 2, weight: 0.75 },
  ];
  return ensembleOnnx(nodes, leaves, { base: [0], ...options });
}

/** XGBoost's shape: BRANCH_LT, breadth-first lists with ids out of order, base_values 0.5, leaf weights listed tree-major in reverse. */
export function xgboostStyle(options: EnsembleOptions = {}): Uint8Array {
  const nodes: TreeNode[] = [
    { tree: 0, id: 0, feature: 0, mode: 'BRANCH_LT', value: 0.9, yes: 7, no: 3, missingTrue: 1 },
    { tree: 0, id: 7, feature: 3, mode: 'BRANCH_LT', value: 20, yes: 9, no: 8 },
    { tree: 0, id: 3, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 0, id: 9, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 0, id: 8, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 1, id: 0, feature: 5, mode: 'BRANCH_LT', value: 5, yes: 2, no: 1 },
    { tree: 1, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 1, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 2, id: 0, feature: 8, mode: 'BRANCH_LT', value: 2, yes: 1, no: 2, missingTrue: 1 },
    { tree: 2, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
    { tree: 2, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 },
  ];
  const leaves: LeafWeight[] = [
    { tree: 2, id: 2, weight: 1.5 },
    { tree: 2, id: 1, weight: 0.25 },
    { tree: 1, id: 1, weight: 0.6 },
    { tree: 1, id: 2, weight: -0.2 },
    { tree: 0, id: 8, weight: 0.5 },
    { tree: 0, id: 9, weight: 3 },
    { tree: 0, id: 3, weight: 1 },
  ];
  return ensembleOnnx(nodes, leaves, { base: [0.5], ...options });
}

/**
 * Several trees per output, as onnxmltools writes boosters with parallel trees per round: six one-split
 * trees on different features, target weights listed leaf by leaf after all nodes. `duplicateWeights`
 * lists a second weight for some leaves (ambiguous: onnxruntime keeps only the first).
 */
export function parallelTreesStyle(options: EnsembleOptions & { duplicateWeights?: boolean } = {}): Uint8Array {
  const nodes: TreeNode[] = [];
  const leaves: LeafWeight[] = [];
  for (let tree = 0; tree < 6; tree++) {
    const feature = [0, 2, 3, 4, 8, 9][tree] as number;
    nodes.push({ tree, id: 0, feature, mode: 'BRANCH_LEQ', value: [0.8, 2, 15, 5, 4, 0.9][tree] as number, yes: 1, no: 2 });
    nodes.push({ tree, id: 1, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 });
    nodes.push({ tree, id: 2, feature: 0, mode: 'LEAF', value: 0, yes: 0, no: 0 });
  }
  for (let tree = 5; tree >= 0; tree--) {
    leaves.push({ tree, id: 2, weight: 0.1 * tree }, { tree, id: 1, weight: 0.25 * (tree + 1) });
    if (options.duplicateWeights && tree % 2 === 0) leaves.push({ tree, id: 1, weight: 0.25 });
  }
  const { duplicateWeights: _duplicates, ...ensemble } = options;
  return ensembleOnnx(nodes, leaves, { base: [1], ...ensemble });
}

/** A card declaring the served schema (optionally edited), with reference distributions when given. */
export function servedCard(overrides: Record<string, unknown> = {}, references: unknown[] | null = null): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'byo-demand',
    features: DEMAND_FEATURES.map((feature, index) => ({ name: feature.name, index, type: feature.type })),
    target: { name: 'units_sold', output: 'units' },
    trainingData: { from: '2026-01-01', to: '2026-02-28', rows: 12345 },
    validation: { rmse: 1.2, mae: 0.8 },
    ...(references ? { referenceDistributions: references } : {}),
    createdBy: 'data-science',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Embeds a card in ONNX bytes built by `build` (metadata dynaprice.model_card). */
export function withEmbeddedCard(build: (options: EnsembleOptions) => Uint8Array, card: Record<string, unknown>): Uint8Array {
  return build({ metadata: { [MODEL_CARD_METADATA_KEY]: JSON.stringify(card) } });
}

/**
 * A synthetic stream of served feature rows (fixed seed): `shift` moves the price ratio's mean and
 * skews the day of week towards the weekend.
 */
export function syntheticFeatureRows(rows: number, seed: number, shift: { priceMean?: number; weekend?: number } = {}): Float32Array {
  const rng = new SeededRandom(seed);
  const width = DEMAND_FEATURES.length;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const weekend = rng.next() < 2 / 7 + (shift.weekend ?? 0);
    const row = [
      Math.min(1.2, Math.max(0.4, rng.normal(0.9 + (shift.priceMean ?? 0), 0.1))),
      rng.uniform(1, 12),
      rng.int(0, 10),
      rng.int(0, 60),
      rng.int(0, 20),
      weekend ? rng.int(5, 6) : rng.int(0, 4),
      rng.int(0, 4),
      rng.int(2, 14),
      Math.exp(rng.normal(1, 0.6)),
      rng.uniform(0.7, 1),
    ];
    out.set(row, r * width);
  }
  return out;
}

/** Reference distributions in the card's shape (the trainer's: type, edges, proportions, missing). */
export function cardReferences(sample: Float32Array): unknown[] {
  const width = DEMAND_FEATURES.length;
  const rows = sample.length / width;
  return DEMAND_FEATURES.map((feature, f) => {
    const column = Float32Array.from({ length: rows }, (_, r) => sample[r * width + f] as number);
    const reference: ReferenceDistribution = feature.type === 'categorical' ? categoricalReferenceFromSample(column) : referenceFromSample(column, 10);
    return reference.kind === 'numeric'
      ? { feature: feature.name, type: 'numeric', edges: reference.edges, proportions: reference.proportions, missing: reference.missingShare, rows }
      : { feature: feature.name, type: 'categorical', edges: reference.categories, proportions: [...reference.proportions, reference.otherShare], missing: reference.missingShare, rows };
  });
}

/** A multipart/form-data body: files (Buffer) and text fields. */
export function multipart(parts: Array<{ name: string; value: Uint8Array | string; filename?: string; contentType?: string }>): { body: Buffer; contentType: string } {
  const boundary = `----dynaprice${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.contentType ?? (part.filename ? 'application/octet-stream' : undefined);
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value) : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
