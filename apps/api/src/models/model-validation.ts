import {
  assertNoProtectedAttributes,
  decodeOnnx,
  inspectOnnx,
  loadTreeEnsemble,
  MODEL_CARD_METADATA_KEY,
  sha256Hex,
  type OnnxModelInfo,
} from '@dynaprice/gbdt';
import { referenceFromCard, type CardReferenceLike } from '@dynaprice/drift';
import { DomainError, SeededRandom, type FieldProblem } from '@dynaprice/kernel';
import { OrtDemandModel } from '@dynaprice/ort';
import { DEMAND_FEATURES } from '@dynaprice/pricing';
import type { onnx } from 'onnx-proto';

/** A feature of the schema the API serves (DEMAND_FEATURES). */
export interface ServedFeature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
}

/** Operators a served model may contain: one tree ensemble and element-wise arithmetic on its output. */
export const ALLOWED_OPERATORS: readonly string[] = [
  'ai.onnx.ml.TreeEnsembleRegressor',
  'Identity',
  'Constant',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Exp',
  'Relu',
  'Neg',
  'Abs',
  'Max',
  'Min',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Where',
];

export const MAX_CARD_BYTES = 8 * 1024 * 1024;
const PROBE_ROWS = 512;

export interface UploadRules {
  readonly protectedAttributes: readonly string[];
  readonly servedFeatures?: readonly ServedFeature[];
}

export interface ValidatedModel {
  readonly sha256: string;
  /** The card to store (without sha256: the registry stamps it). */
  readonly card: Record<string, unknown>;
  /** The card came from the ONNX metadata, not from the upload. */
  readonly cardEmbedded: boolean;
  readonly info: OnnxModelInfo;
}

const fail = (field: string, message: string): never => {
  throw DomainError.validation(field, message);
};

function problems(list: FieldProblem[]): DomainError {
  const first = list[0] as FieldProblem;
  return new DomainError('VALIDATION_FAILED', `${first.field}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more)` : ''}`, list.slice(0, 100));
}

function qualified(node: { opType: string; domain: string }): string {
  return node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
}

/** The card sent with the upload: JSON text (a part or a field) or an already parsed object. */
export function parseUploadedCard(raw: unknown): Record<string, unknown> | null {
  if (raw === undefined || raw === null) return null;
  let value: unknown = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
    if (Buffer.byteLength(text) > MAX_CARD_BYTES) fail('card', `is larger than ${MAX_CARD_BYTES} bytes`);
    if (text.trim() === '') return null;
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail('card', `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('card', 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** Tensors whose bytes live outside the file: refused (a served model must be self-contained, and ORT would read local paths). */
function externalTensors(model: onnx.IModelProto): string[] {
  const names: string[] = [];
  const visit = (tensor: onnx.ITensorProto | null | undefined, owner: string): void => {
    if (!tensor) return;
    if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0) names.push(tensor.name || owner);
  };
  for (const tensor of model.graph?.initializer ?? []) visit(tensor, 'an initializer');
  for (const node of model.graph?.node ?? []) {
    for (const attribute of node.attribute ?? []) {
      visit(attribute.t, `${node.name || node.opType}.${attribute.name}`);
      for (const tensor of attribute.tensors ?? []) visit(tensor, `${node.name || node.opType}.${attribute.name}`);
    }
  }
  return names;
}

const intsOf = (node: onnx.INodeProto, name: string): number[] => (node.attribute ?? []).find((a) => a.name === name)?.ints?.map((v) => Number(v)) ?? [];

/**
 * A leaf with several weights for the one target is ambiguous: onnxruntime uses the first and ignores the
 * rest, while the exporter most likely meant their sum. Refused, naming the leaf.
 */
function checkLeafWeights(model: onnx.IModelProto): void {
  for (const node of model.graph?.node ?? []) {
    if (node.opType !== 'TreeEnsembleRegressor') continue;
    const trees = intsOf(node, 'target_treeids');
    const leaves = intsOf(node, 'target_nodeids');
    const targets = intsOf(node, 'target_ids');
    const seen = new Map<string, number>();
    trees.forEach((tree, i) => {
      const key = `${tree}:${leaves[i]}:${targets[i]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    });
    for (const [key, count] of seen) {
      if (count < 2) continue;
      const [tree, leaf] = key.split(':');
      fail('model', `leaf ${leaf} of tree ${tree} has ${count} target weights; onnxruntime uses only the first, so list one weight per leaf`);
    }
  }
}

function checkOperators(info: OnnxModelInfo, model: onnx.IModelProto): void {
  const refused: FieldProblem[] = [];
  info.nodes.forEach((node, index) => {
    const op = qualified(node);
    if (!ALLOWED_OPERATORS.includes(op)) {
      refused.push({
        field: 'model',
        message: `operator ${op} (node ${JSON.stringify(node.name || `#${index}`)}) is not allowed: a served model is one ai.onnx.ml.TreeEnsembleRegressor followed by element-wise ${ALLOWED_OPERATORS.slice(1).join(', ')}`,
      });
    }
  });
  if ((model.functions?.length ?? 0) > 0) refused.push({ field: 'model', message: 'model-local functions are not allowed' });
  if (refused.length > 0) throw problems(refused);
  const ensembles = info.nodes.filter((node) => qualified(node) === 'ai.onnx.ml.TreeEnsembleRegressor').length;
  if (ensembles !== 1) fail('model', `must contain exactly one ai.onnx.ml.TreeEnsembleRegressor, found ${ensembles}`);
}

interface DeclaredFeature {
  name: string;
  type: string | null;
  index: number | null;
}

function declaredFeatures(card: Record<string, unknown>): DeclaredFeature[] {
  const raw = card['features'];
  if (!Array.isArray(raw) || raw.length === 0) fail('card.features', 'must list the model’s input features in column order (name, type)');
  const list: DeclaredFeature[] = [];
  const found: FieldProblem[] = [];
  (raw as unknown[]).forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['name'] : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      found.push({ field: `card.features[${i}].name`, message: 'must be a non-empty string' });
      return;
    }
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const type = record['type'];
    if (type !== undefined && type !== 'numeric' && type !== 'categorical') found.push({ field: `card.features[${i}].type`, message: 'must be numeric or categorical' });
    const index = record['index'];
    if (index !== undefined && index !== i) found.push({ field: `card.features[${i}].index`, message: `must be ${i} (features are listed in column order)` });
    list.push({ name, type: typeof type === 'string' ? type : null, index: typeof index === 'number' ? index : null });
  });
  if (found.length > 0) throw problems(found);
  return list;
}

/** Every way the declared features differ from the served schema, each naming the feature. */
export function schemaProblems(declared: ReadonlyArray<{ name: string; type: string | null }>, served: readonly ServedFeature[]): FieldProblem[] {
  const found: FieldProblem[] = [];
  const servedIndex = new Map(served.map((feature, i) => [feature.name, i]));
  const declaredNames = new Set(declared.map((feature) => feature.name));
  const schema = `the served schema is ${served.map((feature) => feature.name).join(', ')}`;
  declared.forEach((feature, i) => {
    const expected = served[i];
    const home = servedIndex.get(feature.name);
    if (home === undefined) {
      found.push({ field: `card.features[${i}]`, message: `feature ${JSON.stringify(feature.name)} is not in the served schema (${schema})` });
    } else if (home !== i) {
      found.push({ field: `card.features[${i}]`, message: `feature ${JSON.stringify(feature.name)} is column ${home} of the served schema, not ${i}${expected ? ` (column ${i} is ${JSON.stringify(expected.name)})` : ''}` });
    } else if (expected && feature.type !== null && feature.type !== expected.type) {
      found.push({ field: `card.features[${i}]`, message: `feature ${JSON.stringify(feature.name)} must be ${expected.type}, the card declares ${feature.type}` });
    }
  });
  served.forEach((feature, i) => {
    if (!declaredNames.has(feature.name)) found.push({ field: 'card.features', message: `feature ${JSON.stringify(feature.name)} (column ${i} of the served schema) is missing` });
  });
  return found;
}

function checkInput(info: OnnxModelInfo, featureCount: number): void {
  if (info.inputs.length !== 1) fail('model', `the graph must have one input (the feature matrix), it has ${info.inputs.length}: ${info.inputs.map((i) => i.name).join(', ') || 'none'}`);
  const input = info.inputs[0] as OnnxModelInfo['inputs'][number];
  if (input.elementType !== 'float32') fail('model', `input ${JSON.stringify(input.name)} must be float32, it is ${input.elementType}`);
  if (input.shape.length !== 2 && input.shape.length !== 0) fail('model', `input ${JSON.stringify(input.name)} must be a matrix [N, features], its shape is [${input.shape.join(', ')}]`);
  const columns = input.shape[1];
  if (typeof columns === 'number' && columns !== featureCount) {
    fail('model', `input ${JSON.stringify(input.name)} has ${columns} columns, the card declares ${featureCount} features`);
  }
}

function checkReferences(card: Record<string, unknown>, names: ReadonlySet<string>): void {
  const raw = card['referenceDistributions'];
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) fail('card.referenceDistributions', 'must be a list (one reference distribution per feature)');
  const found: FieldProblem[] = [];
  (raw as unknown[]).forEach((entry, i) => {
    const field = `card.referenceDistributions[${i}]`;
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : null;
    const feature = record?.['feature'];
    if (typeof feature !== 'string' || !names.has(feature)) {
      found.push({ field: `${field}.feature`, message: `must name a feature of the card, got ${JSON.stringify(feature ?? null)}` });
      return;
    }
    try {
      referenceFromCard(record as unknown as CardReferenceLike);
    } catch (error) {
      found.push({ field, message: `${feature}: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
  if (found.length > 0) throw problems(found);
}

/** Rows spread over plausible values of every served feature, NaNs included: the model must answer finitely, and ORT must agree with the reference evaluator. */
export function probeRows(features: number, rows: number, seed = 17): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(rows * features);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const u = rng.next();
      out[r * features + f] = u < 0.03 ? Number.NaN : u < 0.1 ? rng.int(0, 6) : u < 0.6 ? Math.fround(rng.uniform(0, 2)) : Math.fround(rng.uniform(0, 60));
    }
  }
  return out;
}

async function checkRuntime(bytes: Uint8Array, sha256: string, featureCount: number): Promise<void> {
  let evaluator: ReturnType<typeof loadTreeEnsemble>;
  try {
    evaluator = loadTreeEnsemble(bytes);
  } catch (error) {
    if (error instanceof DomainError) throw DomainError.validation('model', error.message.replace(/^model: /, ''));
    throw error;
  }
  const model = await OrtDemandModel.create(bytes, { version: sha256, numFeatures: featureCount, logSeverityLevel: 4 });
  try {
    const rows = probeRows(featureCount, PROBE_ROWS);
    let fromOrt: Float32Array;
    try {
      fromOrt = await model.predict(rows, PROBE_ROWS);
    } catch (error) {
      throw DomainError.validation('model', `onnxruntime cannot run it: ${error instanceof Error ? error.message.replace(/^model: /, '') : String(error)}`);
    }
    const reference = evaluator.evaluate(rows, PROBE_ROWS);
    for (let i = 0; i < PROBE_ROWS; i++) {
      const a = fromOrt[i] as number;
      const b = reference[i] as number;
      if (!Number.isFinite(a)) fail('model', `predicts ${a} for probe row ${i}: a demand model must predict finite units`);
      if (Math.abs(a - b) > 1e-5 + 1e-4 * Math.abs(b)) {
        fail('model', `onnxruntime and the reference tree evaluator disagree on probe row ${i} (${a} vs ${b}); check the node lists of the ensemble`);
      }
    }
  } finally {
    await model.release();
  }
}

/**
 * Checks an uploaded model before anything is stored: an ONNX file onnxruntime-node runs, made only of a
 * tree ensemble and element-wise steps, self-contained, whose card declares exactly the served feature
 * schema (no protected attribute), with one float32 [N, features] input. Throws VALIDATION_FAILED naming
 * the part (`model` / `card…`) and, for schema mismatches, the feature.
 */
export async function validateModelUpload(bytes: Uint8Array, uploadedCard: Record<string, unknown> | null, rules: UploadRules): Promise<ValidatedModel> {
  const served = rules.servedFeatures ?? DEMAND_FEATURES;
  if (bytes.byteLength === 0) fail('model', 'the file is empty');
  const sha256 = sha256Hex(bytes);
  const info = inspectOnnx(bytes);
  const proto = decodeOnnx(bytes);
  const external = externalTensors(proto);
  if (external.length > 0) fail('model', `tensor ${JSON.stringify(external[0])} keeps its data in an external file; upload a self-contained ONNX file`);
  checkOperators(info, proto);
  checkLeafWeights(proto);

  let card = uploadedCard;
  let cardEmbedded = false;
  const embeddedJson = info.metadata[MODEL_CARD_METADATA_KEY];
  let embedded: Record<string, unknown> | null = null;
  if (embeddedJson !== undefined) {
    try {
      embedded = parseUploadedCard(embeddedJson);
    } catch {
      fail('model', `its metadata ${MODEL_CARD_METADATA_KEY} is not a JSON object`);
    }
  }
  if (!card) {
    if (!embedded) fail('card', `no model card: send it as the "card" part, or embed it in the ONNX metadata under ${MODEL_CARD_METADATA_KEY}`);
    card = embedded as Record<string, unknown>;
    cardEmbedded = true;
  }
  if (card['sha256'] !== undefined && card['sha256'] !== sha256) {
    fail('card.sha256', `belongs to another file (${String(card['sha256'])}); this model's sha256 is ${sha256}`);
  }

  const declared = declaredFeatures(card);
  if (embedded && !cardEmbedded) {
    const inside = declaredFeatures(embedded).map((f) => f.name);
    if (inside.join('\u0000') !== declared.map((f) => f.name).join('\u0000')) {
      fail('card.features', `differ from the card embedded in the ONNX file (${inside.join(', ')})`);
    }
  }
  assertNoProtectedAttributes(
    declared.map((f) => f.name),
    rules.protectedAttributes,
  );
  const mismatches = schemaProblems(declared, served);
  if (mismatches.length > 0) throw problems(mismatches);
  checkInput(info, declared.length);
  if (info.problems.length > 0) fail('model', `${info.problems[0]}${info.problems.length > 1 ? ` (and ${info.problems.length - 1} more)` : ''}: list each tree's nodes together, root first`);
  checkReferences(card, new Set(declared.map((f) => f.name)));
  await checkRuntime(bytes, sha256, served.length);

  const { sha256: _ignored, ...rest } = card;
  return { sha256, card: rest, cardEmbedded, info };
}
