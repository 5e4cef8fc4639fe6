import { onnx } from 'onnx-proto';
import { unitsProgram, type PostOperand, type PostProgram } from './evaluator';
import type { GbdtModel, GbdtTree, TreeNode } from './types';

export const ONNX_INPUT_NAME = 'features';
export const ONNX_OUTPUT_NAME = 'units';
/** Default-domain opset (Exp, Sub, Max). */
export const ONNX_OPSET = 17;
/** ai.onnx.ml opset of TreeEnsembleRegressor (v3: what onnxruntime 1.30 runs for float input). */
export const ONNX_ML_OPSET = 3;
export const ONNX_IR_VERSION = 8;
export const MODEL_CARD_METADATA_KEY = 'dynaprice.model_card';
/** The trees with covers (TreeSHAP input), see `treesToJson`. */
export const TREES_METADATA_KEY = 'dynaprice.trees';
export const PRODUCER_NAME = 'dynaprice-gbdt';
export const PRODUCER_VERSION = '1';

const Attr = onnx.AttributeProto.AttributeType;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export interface OnnxExportOptions {
  /** metadata_props entries (written sorted by key). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly docString?: string;
}

/**
 * Encodes a model as ONNX: input `features` float32 [N, F] → ai.onnx.ml TreeEnsembleRegressor
 * (opset 3, BRANCH_LEQ for numeric splits; a categorical set split becomes a chain of BRANCH_EQ
 * nodes that share the left child) → element-wise steps to target units (`unitsProgram`: Exp for
 * Poisson; expm1 of Max(score, 0) for log1p targets) → output `units` float32 [N, 1]. Every tree is written root first,
 * its nodes contiguous, in depth-first order (onnxruntime takes each tree's first node as its root).
 * The same model and options always give the same bytes.
 */
export function exportOnnx(model: GbdtModel, options: OnnxExportOptions = {}): Uint8Array {
  const numFeatures = model.features.length;
  const a = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
    targetTree: [] as number[],
    targetNode: [] as number[],
    targetWeight: [] as number[],
  };
  model.trees.forEach((tree, t) => writeTree(tree, t, a));

  const program = unitsProgram(model);
  const scoreName = program.output === 0 ? ONNX_OUTPUT_NAME : 'score';
  const nodes: onnx.INodeProto[] = [
    {
      name: 'ensemble',
      opType: 'TreeEnsembleRegressor',
      domain: 'ai.onnx.ml',
      input: [ONNX_INPUT_NAME],
      output: [scoreName],
      attribute: [
        { name: 'n_targets', type: Attr.INT, i: 1 },
        ints('nodes_treeids', a.treeIds),
        ints('nodes_nodeids', a.nodeIds),
        ints('nodes_featureids', a.featureIds),
        strings('nodes_modes', a.modes),
        floats('nodes_values', a.values),
        ints('nodes_truenodeids', a.trueIds),
        ints('nodes_falsenodeids', a.falseIds),
        ints('nodes_missing_value_tracks_true', a.missingTrue),
        ints('target_treeids', a.targetTree),
        ints('target_nodeids', a.targetNode),
        ints('target_ids', a.targetTree.map(() => 0)),
        floats('target_weights', a.targetWeight),
        floats('base_values', [Math.fround(model.baseScore)]),
        { name: 'post_transform', type: Attr.STRING, s: utf8('NONE') },
        { name: 'aggregate_function', type: Attr.STRING, s: utf8('SUM') },
      ],
    },
  ];
  const initializer: onnx.ITensorProto[] = [];
  nodes.push(...programNodes(program, scoreName, initializer));

  const metadata = options.metadata ?? {};
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    domain: 'dynaprice',
    modelVersion: 1,
    docString: options.docString ?? 'Dynaprice demand model: gradient-boosted trees, output in target units.',
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    metadataProps: Object.keys(metadata)
      .sort()
      .map((key) => ({ key, value: metadata[key] as string })),
    graph: {
      name: 'demand_model',
      node: nodes,
      initializer,
      input: [tensorInfo(ONNX_INPUT_NAME, [{ dimParam: 'N' }, { dimValue: numFeatures }])],
      output: [tensorInfo(ONNX_OUTPUT_NAME, [{ dimParam: 'N' }, { dimValue: 1 }])],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

const OP_TYPES: Record<string, string> = {
  exp: 'Exp',
  relu: 'Relu',
  neg: 'Neg',
  abs: 'Abs',
  identity: 'Identity',
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  max: 'Max',
  min: 'Min',
  less: 'Less',
  lessOrEqual: 'LessOrEqual',
  greater: 'Greater',
  greaterOrEqual: 'GreaterOrEqual',
  where: 'Where',
};

/** ONNX nodes of a post program; scalar constants become float initializers `c0`, `c1`, …. */
function programNodes(program: PostProgram, scoreName: string, initializer: onnx.ITensorProto[]): onnx.INodeProto[] {
  const constants = new Map<number, string>();
  const tensor = (o: PostOperand): string => {
    if ('reg' in o) return o.reg === 0 ? scoreName : o.reg === program.output ? ONNX_OUTPUT_NAME : `r${o.reg}`;
    let name = constants.get(o.value);
    if (name === undefined) {
      name = `c${constants.size}`;
      constants.set(o.value, name);
      initializer.push({ name, dataType: FLOAT, dims: [], floatData: [o.value] });
    }
    return name;
  };
  return program.instructions.map((ins, i) => {
    const inputs = ins.op === 'where' ? [ins.condition, ins.a, ins.b] : 'b' in ins ? [ins.a, ins.b] : [ins.a];
    return {
      name: `step${i}_${ins.op}`,
      opType: OP_TYPES[ins.op] as string,
      domain: '',
      input: inputs.map(tensor),
      output: [tensor({ reg: ins.out })],
    };
  });
}

interface AttributeLists {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  targetTree: number[];
  targetNode: number[];
  targetWeight: number[];
}

/** Writes one tree in depth-first order; a categorical split takes one BRANCH_EQ node per category. */
function writeTree(tree: GbdtTree, t: number, a: AttributeLists): void {
  const nodes = tree.nodes;
  const ids = new Int32Array(nodes.length);
  const order: number[] = [];
  const stack = [0];
  let next = 0;
  while (stack.length > 0) {
    const n = stack.pop() as number;
    const node = nodes[n] as TreeNode;
    order.push(n);
    ids[n] = next;
    next += node.categories !== null ? Math.max(1, node.categories.length) : 1;
    if (!node.isLeaf) stack.push(node.right, node.left);
  }
  for (const n of order) {
    const node = nodes[n] as TreeNode;
    const id = ids[n] as number;
    if (node.isLeaf) {
      push(a, t, id, 0, 'LEAF', 0, 0, 0, 0);
      a.targetTree.push(t);
      a.targetNode.push(id);
      a.targetWeight.push(node.value);
    } else if (node.categories !== null) {
      const codes = node.categories.length > 0 ? node.categories : [-1];
      codes.forEach((code, j) => {
        const falseId = j + 1 < codes.length ? id + j + 1 : (ids[node.right] as number);
        push(a, t, id + j, node.feature, 'BRANCH_EQ', code, ids[node.left] as number, falseId, node.defaultLeft ? 1 : 0);
      });
    } else {
      push(a, t, id, node.feature, 'BRANCH_LEQ', node.threshold, ids[node.left] as number, ids[node.right] as number, node.defaultLeft ? 1 : 0);
    }
  }
}

function push(a: AttributeLists, t: number, id: number, feature: number, mode: string, value: number, trueId: number, falseId: number, missingTrue: number): void {
  a.treeIds.push(t);
  a.nodeIds.push(id);
  a.featureIds.push(feature);
  a.modes.push(mode);
  a.values.push(value);
  a.trueIds.push(trueId);
  a.falseIds.push(falseId);
  a.missingTrue.push(missingTrue);
}

function tensorInfo(name: string, dim: onnx.TensorShapeProto.IDimension[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

function ints(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: Attr.INTS, ints: values };
}

function floats(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: Attr.FLOATS, floats: values };
}

function strings(name: string, values: string[]): onnx.IAttributeProto {
  return { name, type: Attr.STRINGS, strings: values.map(utf8) };
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The trees with their covers as JSON (embedded in the ONNX for TreeSHAP; NaN thresholds as null). */
export function treesToJson(model: GbdtModel): string {
  return JSON.stringify({
    format: 'dynaprice.trees/1',
    features: model.features.map((f) => f.name),
    baseScore: model.baseScore,
    loss: model.params.loss,
    targetTransform: model.params.targetTransform,
    trees: model.trees.map((tree) => ({
      feature: tree.nodes.map((n) => n.feature),
      threshold: tree.nodes.map((n) => (Number.isNaN(n.threshold) ? null : n.threshold)),
      categories: tree.nodes.map((n) => n.categories),
      defaultLeft: tree.nodes.map((n) => (n.defaultLeft ? 1 : 0)),
      left: tree.nodes.map((n) => n.left),
      right: tree.nodes.map((n) => n.right),
      value: tree.nodes.map((n) => n.value),
      cover: tree.nodes.map((n) => n.cover),
      hessian: tree.nodes.map((n) => n.hessian),
      gain: tree.nodes.map((n) => n.gain),
    })),
  });
}

/** Embedded trees: what TreeSHAP needs (structure, values, covers). */
export interface EmbeddedTrees {
  readonly features: readonly string[];
  readonly baseScore: number;
  readonly loss: string;
  readonly targetTransform: string;
  readonly trees: readonly GbdtTree[];
}

/** Parses `treesToJson` output back into trees. */
export function treesFromJson(json: string): EmbeddedTrees {
  const raw = JSON.parse(json) as {
    format: string;
    features: string[];
    baseScore: number;
    loss: string;
    targetTransform: string;
    trees: {
      feature: number[];
      threshold: (number | null)[];
      categories: (number[] | null)[];
      defaultLeft: number[];
      left: number[];
      right: number[];
      value: number[];
      cover: number[];
      hessian: number[];
      gain: number[];
    }[];
  };
  if (raw.format !== 'dynaprice.trees/1') throw new Error(`unknown trees format ${JSON.stringify(raw.format)}`);
  return {
    features: raw.features,
    baseScore: raw.baseScore,
    loss: raw.loss,
    targetTransform: raw.targetTransform,
    trees: raw.trees.map((t) => ({
      nodes: t.feature.map((feature, i) => ({
        isLeaf: (t.left[i] as number) < 0,
        feature,
        threshold: t.threshold[i] ?? Number.NaN,
        categories: t.categories[i] ?? null,
        defaultLeft: t.defaultLeft[i] === 1,
        left: t.left[i] as number,
        right: t.right[i] as number,
        value: t.value[i] as number,
        cover: t.cover[i] as number,
        hessian: t.hessian[i] as number,
        gain: t.gain[i] as number,
      })),
    })),
  };
}
