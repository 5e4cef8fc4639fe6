import { DomainError } from '@dynaprice/kernel';
import { onnx } from 'onnx-proto';
import { NodeMode, TreeEnsembleEvaluator, type BinaryPostOp, type FlatEnsemble, type PostInstruction, type PostOperand, type PostProgram, type UnaryPostOp } from './evaluator';
import type { ModelCard } from './model-card';
import { MODEL_CARD_METADATA_KEY, TREES_METADATA_KEY, treesFromJson, type EmbeddedTrees } from './onnx-export';

export interface OnnxTensorInfo {
  readonly name: string;
  /** e.g. `float32`, `int64`; `unknown` when the type is not a tensor. */
  readonly elementType: string;
  /** Fixed sizes as numbers, symbolic ones as their name, unknown as null. */
  readonly shape: readonly (number | string | null)[];
}

export interface OnnxNodeInfo {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface OnnxModelInfo {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly opsetImports: readonly { readonly domain: string; readonly version: number }[];
  /** Distinct op types, in graph order (domain-qualified outside the default domain, e.g. `ai.onnx.ml.TreeEnsembleRegressor`). */
  readonly opTypes: readonly string[];
  readonly nodes: readonly OnnxNodeInfo[];
  /** Graph inputs that are not initializers. */
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Tree ensembles that onnxruntime would evaluate wrongly: a tree whose first listed node is not
   * its root, or whose nodes are not contiguous (onnxruntime 1.30 takes each tree's first node as
   * the root).
   */
  readonly problems: readonly string[];
}

const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

type IntLike = number | { toNumber(): number };

function num(value: IntLike | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

const decoder = new TextDecoder();

/** Decodes ONNX bytes; DomainError VALIDATION_FAILED when they are not an ONNX model. */
export function decodeOnnx(bytes: Uint8Array): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw DomainError.validation('model', `not an ONNX model (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!model.graph || num(model.irVersion) <= 0) throw DomainError.validation('model', 'not an ONNX model (no graph or IR version)');
  return model;
}

/** What an ONNX model declares: op types, inputs and outputs with shapes, metadata. */
export function inspectOnnx(bytes: Uint8Array): OnnxModelInfo {
  const model = decodeOnnx(bytes);
  const graph = model.graph as onnx.IGraphProto;
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const nodes = (graph.node ?? []).map((n) => ({
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
  }));
  const opTypes: string[] = [];
  for (const n of nodes) {
    const qualified = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    if (!opTypes.includes(qualified)) opTypes.push(qualified);
  }
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) metadata[entry.key ?? ''] = entry.value ?? '';
  const problems: string[] = [];
  for (const node of graph.node ?? []) {
    if (node.opType === 'TreeEnsembleRegressor' && node.domain === 'ai.onnx.ml') problems.push(...treeOrderProblems(node));
  }
  return {
    irVersion: num(model.irVersion),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    opsetImports: (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: num(o.version) })),
    opTypes,
    nodes,
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(tensorInfo),
    outputs: (graph.output ?? []).map(tensorInfo),
    metadata,
    problems,
  };
}

function tensorInfo(value: onnx.IValueInfoProto): OnnxTensorInfo {
  const tensor = value.type?.tensorType;
  return {
    name: value.name ?? '',
    elementType: tensor ? (ELEMENT_TYPES[tensor.elemType ?? 0] ?? 'unknown') : 'unknown',
    shape: (tensor?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? num(d.dimValue) : null)),
  };
}

/** The model card embedded in ONNX bytes, or null. */
export function readModelCard(bytes: Uint8Array): ModelCard | null {
  const json = inspectOnnx(bytes).metadata[MODEL_CARD_METADATA_KEY];
  return json ? (JSON.parse(json) as ModelCard) : null;
}

/** The trees with covers embedded in ONNX bytes (for TreeSHAP), or null. */
export function readEmbeddedTrees(bytes: Uint8Array): EmbeddedTrees | null {
  const json = inspectOnnx(bytes).metadata[TREES_METADATA_KEY];
  return json ? treesFromJson(json) : null;
}

// ---------------------------------------------------------------------------------------------
// Loading a TreeEnsembleRegressor graph into the TypeScript evaluator.

function attribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function intsOf(node: onnx.INodeProto, name: string): number[] | null {
  const attr = attribute(node, name);
  return attr ? (attr.ints ?? []).map(num) : null;
}

function stringsOf(node: onnx.INodeProto, name: string): string[] | null {
  const attr = attribute(node, name);
  return attr ? (attr.strings ?? []).map((s) => decoder.decode(s)) : null;
}

function stringOf(node: onnx.INodeProto, name: string): string | null {
  const attr = attribute(node, name);
  return attr?.s ? decoder.decode(attr.s) : null;
}

/** Float list attribute, or its `_as_tensor` variant. */
function floatsOf(node: onnx.INodeProto, name: string): number[] | null {
  const attr = attribute(node, name);
  if (attr) return [...(attr.floats ?? [])];
  const tensor = attribute(node, `${name}_as_tensor`)?.t;
  return tensor ? tensorValues(tensor) : null;
}

function tensorValues(tensor: onnx.ITensorProto): number[] {
  const type = tensor.dataType ?? 0;
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    if (type === onnx.TensorProto.DataType.FLOAT) for (let i = 0; i < raw.length; i += 4) out.push(view.getFloat32(i, true));
    else if (type === onnx.TensorProto.DataType.DOUBLE) for (let i = 0; i < raw.length; i += 8) out.push(view.getFloat64(i, true));
    else if (type === onnx.TensorProto.DataType.INT64) for (let i = 0; i < raw.length; i += 8) out.push(Number(view.getBigInt64(i, true)));
    else if (type === onnx.TensorProto.DataType.INT32) for (let i = 0; i < raw.length; i += 4) out.push(view.getInt32(i, true));
    else throw DomainError.validation('model', `unsupported constant tensor type ${ELEMENT_TYPES[type] ?? type}`);
    return out;
  }
  if (type === onnx.TensorProto.DataType.FLOAT) return [...(tensor.floatData ?? [])];
  if (type === onnx.TensorProto.DataType.DOUBLE) return [...(tensor.doubleData ?? [])];
  if (type === onnx.TensorProto.DataType.INT64) return (tensor.int64Data ?? []).map(num);
  if (type === onnx.TensorProto.DataType.INT32) return [...(tensor.int32Data ?? [])];
  throw DomainError.validation('model', `unsupported constant tensor type ${ELEMENT_TYPES[type] ?? type}`);
}

const MODES: Record<string, number> = {
  BRANCH_LEQ: NodeMode.BRANCH_LEQ,
  BRANCH_LT: NodeMode.BRANCH_LT,
  BRANCH_GTE: NodeMode.BRANCH_GTE,
  BRANCH_GT: NodeMode.BRANCH_GT,
  BRANCH_EQ: NodeMode.BRANCH_EQ,
  BRANCH_NEQ: NodeMode.BRANCH_NEQ,
  LEAF: NodeMode.LEAF,
};

function treeOrderProblems(node: onnx.INodeProto): string[] {
  const treeIds = intsOf(node, 'nodes_treeids') ?? [];
  const nodeIds = intsOf(node, 'nodes_nodeids') ?? [];
  const trueIds = intsOf(node, 'nodes_truenodeids') ?? [];
  const falseIds = intsOf(node, 'nodes_falsenodeids') ?? [];
  const modes = stringsOf(node, 'nodes_modes') ?? [];
  const problems: string[] = [];
  const children = new Map<number, Set<number>>();
  const firstListed = new Map<number, number>();
  const lastPosition = new Map<number, number>();
  const split = new Set<number>();
  treeIds.forEach((t, i) => {
    if (!firstListed.has(t)) firstListed.set(t, nodeIds[i] as number);
    else if (lastPosition.get(t) !== i - 1) split.add(t);
    lastPosition.set(t, i);
    if (modes[i] !== 'LEAF') {
      const set = children.get(t) ?? new Set<number>();
      set.add(trueIds[i] as number);
      set.add(falseIds[i] as number);
      children.set(t, set);
    }
  });
  for (const [t, first] of firstListed) {
    if (children.get(t)?.has(first)) problems.push(`tree ${t}: its first listed node ${first} is not its root (onnxruntime takes the first node as the root)`);
    if (split.has(t)) problems.push(`tree ${t}: its nodes are not listed contiguously (onnxruntime needs them together)`);
  }
  return problems;
}

/**
 * Loads an ONNX graph made of one ai.onnx.ml TreeEnsembleRegressor (one target, post_transform
 * NONE, SUM) on the float input, optionally followed by element-wise nodes on its output and
 * scalar constants (Exp, Relu, Neg, Abs, Identity, Add, Sub, Mul, Div, Max, Min, Less,
 * LessOrEqual, Greater, GreaterOrEqual, Where), into the TypeScript evaluator. Nodes may be
 * listed in any order; roots are the nodes no other node points to. Modes: BRANCH_LEQ, BRANCH_LT,
 * BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ; base_values and *_as_tensor attributes are honoured.
 */
export function loadTreeEnsemble(bytes: Uint8Array): TreeEnsembleEvaluator {
  const model = decodeOnnx(bytes);
  const graph = model.graph as onnx.IGraphProto;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name ?? ''));
  if (inputs.length !== 1) throw DomainError.validation('model', `expected one input, found ${inputs.length}`);
  const input = tensorInfo(inputs[0] as onnx.IValueInfoProto);
  if (input.elementType !== 'float32') throw DomainError.validation('model', `input ${input.name} must be float32, is ${input.elementType}`);
  const ensembles = (graph.node ?? []).filter((n) => n.opType === 'TreeEnsembleRegressor' && n.domain === 'ai.onnx.ml');
  if (ensembles.length !== 1) throw DomainError.validation('model', `expected one ai.onnx.ml TreeEnsembleRegressor, found ${ensembles.length}`);
  const ensembleNode = ensembles[0] as onnx.INodeProto;
  if ((ensembleNode.input ?? [])[0] !== input.name) throw DomainError.validation('model', 'the TreeEnsembleRegressor must read the graph input directly');

  // Constants: initializers and Constant nodes.
  const constants = new Map<string, number[]>();
  for (const [name, tensor] of initializers) constants.set(name, tensorValues(tensor));
  for (const node of graph.node ?? []) {
    if (node.opType === 'Constant' && (!node.domain || node.domain === 'ai.onnx')) {
      const value = attribute(node, 'value');
      if (value?.t) constants.set((node.output ?? [])[0] ?? '', tensorValues(value.t));
      else if (value && attribute(node, 'value_float')) constants.set((node.output ?? [])[0] ?? '', [attribute(node, 'value_float')?.f ?? 0]);
    }
  }

  // Element-wise steps after the ensemble, in graph (topological) order, as a register program.
  const registers = new Map<string, number>([[(ensembleNode.output ?? [])[0] ?? '', 0]]);
  const instructions: PostInstruction[] = [];
  const operandOf = (name: string, op: string): PostOperand => {
    const reg = registers.get(name);
    if (reg !== undefined) return { reg };
    const value = constants.get(name);
    if (value && value.length === 1) return { value: Math.fround(value[0] as number) };
    throw DomainError.validation('model', `${op} after the ensemble reads ${name}, which is neither derived from the ensemble nor a scalar constant`);
  };
  for (const node of graph.node ?? []) {
    if (node === ensembleNode || node.opType === 'Constant') continue;
    const op = node.opType ?? '';
    const kind = UNARY_OPS[op] ?? BINARY_OPS[op] ?? (op === 'Where' ? 'where' : undefined);
    if (kind === undefined || (node.domain && node.domain !== 'ai.onnx')) {
      throw DomainError.validation('model', `unsupported node ${node.domain ? `${node.domain}.` : ''}${op} for the TypeScript evaluator`);
    }
    const ins = (node.input ?? []).map((name) => operandOf(name, op));
    const out = registers.size;
    if (op === 'Where' && ins.length === 3) {
      instructions.push({ op: 'where', condition: ins[0] as PostOperand, a: ins[1] as PostOperand, b: ins[2] as PostOperand, out });
    } else if (UNARY_OPS[op] && ins.length === 1) {
      instructions.push({ op: UNARY_OPS[op] as UnaryPostOp, a: ins[0] as PostOperand, out });
    } else if (BINARY_OPS[op] && ins.length === 2) {
      instructions.push({ op: BINARY_OPS[op] as BinaryPostOp, a: ins[0] as PostOperand, b: ins[1] as PostOperand, out });
    } else {
      throw DomainError.validation('model', `${op} with ${ins.length} inputs is not supported`);
    }
    registers.set((node.output ?? [])[0] ?? '', out);
  }
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) throw DomainError.validation('model', `expected one output, found ${outputs.length}`);
  const output = registers.get(outputs[0]?.name ?? '');
  if (output === undefined) throw DomainError.validation('model', 'the graph output is not computed from the ensemble');
  const post: PostProgram = { registers: registers.size, instructions, output };

  return new TreeEnsembleEvaluator(flattenOnnxEnsemble(ensembleNode, input, post));
}

const UNARY_OPS: Record<string, UnaryPostOp> = { Exp: 'exp', Relu: 'relu', Neg: 'neg', Abs: 'abs', Identity: 'identity' };
const BINARY_OPS: Record<string, BinaryPostOp> = {
  Add: 'add',
  Sub: 'sub',
  Mul: 'mul',
  Div: 'div',
  Max: 'max',
  Min: 'min',
  Less: 'less',
  LessOrEqual: 'lessOrEqual',
  Greater: 'greater',
  GreaterOrEqual: 'greaterOrEqual',
};

function flattenOnnxEnsemble(node: onnx.INodeProto, input: OnnxTensorInfo, post: PostProgram): FlatEnsemble {
  const fail = (message: string): never => {
    throw DomainError.validation('model', `TreeEnsembleRegressor: ${message}`);
  };
  const nTargets = num(attribute(node, 'n_targets')?.i);
  if (nTargets !== 1) fail(`only one target is supported, n_targets = ${nTargets}`);
  const postTransform = stringOf(node, 'post_transform') ?? 'NONE';
  if (postTransform !== 'NONE') fail(`post_transform ${postTransform} is not supported`);
  const aggregate = stringOf(node, 'aggregate_function') ?? 'SUM';
  if (aggregate !== 'SUM') fail(`aggregate_function ${aggregate} is not supported`);

  const treeIds = intsOf(node, 'nodes_treeids') ?? fail('nodes_treeids missing');
  const nodeIds = intsOf(node, 'nodes_nodeids') ?? fail('nodes_nodeids missing');
  const featureIds = intsOf(node, 'nodes_featureids') ?? fail('nodes_featureids missing');
  const modes = stringsOf(node, 'nodes_modes') ?? fail('nodes_modes missing');
  const values = floatsOf(node, 'nodes_values') ?? fail('nodes_values missing');
  const trueIds = intsOf(node, 'nodes_truenodeids') ?? fail('nodes_truenodeids missing');
  const falseIds = intsOf(node, 'nodes_falsenodeids') ?? fail('nodes_falsenodeids missing');
  const missing = intsOf(node, 'nodes_missing_value_tracks_true') ?? [];
  const targetTrees = intsOf(node, 'target_treeids') ?? fail('target_treeids missing');
  const targetNodes = intsOf(node, 'target_nodeids') ?? fail('target_nodeids missing');
  const targetIds = intsOf(node, 'target_ids') ?? fail('target_ids missing');
  const weights = floatsOf(node, 'target_weights') ?? fail('target_weights missing');
  const baseValues = floatsOf(node, 'base_values') ?? [0];
  const n = treeIds.length;
  for (const [name, list] of [
    ['nodes_nodeids', nodeIds],
    ['nodes_featureids', featureIds],
    ['nodes_modes', modes],
    ['nodes_values', values],
    ['nodes_truenodeids', trueIds],
    ['nodes_falsenodeids', falseIds],
  ] as const) {
    if (list.length !== n) fail(`${name} has ${list.length} entries, nodes_treeids ${n}`);
  }
  if (targetNodes.length !== targetTrees.length || targetIds.length !== targetTrees.length || weights.length !== targetTrees.length) {
    fail('target_* attributes differ in length');
  }

  const key = (t: number, id: number): string => `${t}:${id}`;
  const position = new Map<string, number>();
  treeIds.forEach((t, i) => {
    const k = key(t, nodeIds[i] as number);
    if (position.has(k)) fail(`node ${k} is listed twice`);
    position.set(k, i);
  });

  const mode = new Uint8Array(n);
  const feature = new Int32Array(n);
  const threshold = new Float32Array(n);
  const missingTrue = new Uint8Array(n);
  const trueChild = new Int32Array(n);
  const falseChild = new Int32Array(n);
  const leafValue = new Float32Array(n);
  const isChild = new Uint8Array(n);
  let maxFeature = -1;
  for (let i = 0; i < n; i++) {
    const m = MODES[modes[i] as string];
    if (m === undefined) fail(`node mode ${modes[i]} is not supported`);
    mode[i] = m as number;
    if (m === NodeMode.LEAF) continue;
    const t = treeIds[i] as number;
    const yes = position.get(key(t, trueIds[i] as number));
    const no = position.get(key(t, falseIds[i] as number));
    if (yes === undefined || no === undefined) fail(`node ${key(t, nodeIds[i] as number)} points to a missing child`);
    trueChild[i] = yes as number;
    falseChild[i] = no as number;
    isChild[yes as number] = 1;
    isChild[no as number] = 1;
    feature[i] = featureIds[i] as number;
    maxFeature = Math.max(maxFeature, featureIds[i] as number);
    threshold[i] = values[i] as number;
    missingTrue[i] = missing[i] === 1 ? 1 : 0;
  }
  // Leaf weights. A leaf listed with several weights for the one target: onnxruntime (1.30) uses the
  // first and ignores the others, and so does this evaluator (it used to add them up, and disagreed).
  const weighted = new Uint8Array(n);
  targetTrees.forEach((t, j) => {
    if (targetIds[j] !== 0) fail(`target id ${targetIds[j]} out of range`);
    const p = position.get(key(t, targetNodes[j] as number));
    if (p === undefined) fail(`target weight for missing node ${key(t, targetNodes[j] as number)}`);
    if (weighted[p as number]) return;
    weighted[p as number] = 1;
    leafValue[p as number] = Math.fround(weights[j] as number);
  });
  // Roots: one node per tree that no node points to; trees summed in order of first appearance.
  const roots: number[] = [];
  const rootOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (isChild[i]) continue;
    const t = treeIds[i] as number;
    if (rootOf.has(t)) fail(`tree ${t} has more than one root`);
    rootOf.set(t, i);
  }
  const seenTrees = new Set<number>();
  for (const t of treeIds) {
    if (seenTrees.has(t)) continue;
    seenTrees.add(t);
    const root = rootOf.get(t);
    if (root === undefined) fail(`tree ${t} has no root (a cycle)`);
    roots.push(root as number);
  }
  checkAcyclic(roots, mode, trueChild, falseChild, fail);

  const declared = input.shape[1];
  const numFeatures = typeof declared === 'number' ? declared : maxFeature + 1;
  if (maxFeature >= numFeatures) fail(`feature ${maxFeature} is outside the input's ${numFeatures} columns`);
  return {
    numFeatures,
    roots: Int32Array.from(roots),
    mode,
    feature,
    threshold,
    missingTrue,
    trueChild,
    falseChild,
    leafValue,
    memberStart: new Int32Array(n),
    memberEnd: new Int32Array(n),
    members: new Float32Array(0),
    base: Math.fround(baseValues[0] ?? 0),
    post,
  };
}

function checkAcyclic(roots: number[], mode: Uint8Array, trueChild: Int32Array, falseChild: Int32Array, fail: (message: string) => never): void {
  // 0 = unvisited, 1 = on the current path, 2 = done. Shared children (BRANCH_EQ chains) are fine.
  const state = new Uint8Array(mode.length);
  for (const root of roots) {
    const stack: [number, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [n, step] = top;
      if (step === 0) {
        if (state[n] === 2) {
          stack.pop();
          continue;
        }
        if (state[n] === 1) fail('a tree has a cycle');
        state[n] = 1;
      }
      if (mode[n] === NodeMode.LEAF || step === 2) {
        state[n] = 2;
        stack.pop();
        continue;
      }
      top[1] = step + 1;
      const child = step === 0 ? (trueChild[n] as number) : (falseChild[n] as number);
      if (state[child] === 1) fail('a tree has a cycle');
      if (state[child] === 0) stack.push([child, 0]);
    }
  }
}
