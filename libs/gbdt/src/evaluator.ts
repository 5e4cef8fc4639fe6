import { DomainError } from '@dynaprice/kernel';
import type { GbdtModel } from './types';

/** Node kinds of a flat ensemble (the ONNX TreeEnsemble modes, plus set membership). */
export const NodeMode = {
  BRANCH_LEQ: 0,
  BRANCH_LT: 1,
  BRANCH_GTE: 2,
  BRANCH_GT: 3,
  BRANCH_EQ: 4,
  BRANCH_NEQ: 5,
  BRANCH_MEMBER: 6,
  LEAF: 7,
} as const;
export type NodeModeName = keyof typeof NodeMode;

/** An operand of an element-wise step: a register or a float32 constant. */
export type PostOperand = { readonly reg: number } | { readonly value: number };

export type UnaryPostOp = 'exp' | 'relu' | 'neg' | 'abs' | 'identity';
export type BinaryPostOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'less' | 'lessOrEqual' | 'greater' | 'greaterOrEqual';

/** One element-wise step after the ensemble (an ONNX node such as Exp, Sub, Where), in float32. */
export type PostInstruction =
  | { readonly op: UnaryPostOp; readonly a: PostOperand; readonly out: number }
  | { readonly op: BinaryPostOp; readonly a: PostOperand; readonly b: PostOperand; readonly out: number }
  | { readonly op: 'where'; readonly condition: PostOperand; readonly a: PostOperand; readonly b: PostOperand; readonly out: number };

/**
 * The element-wise part of the graph after the ensemble, as a register program: register 0 holds
 * the ensemble output, instructions run in order, `output` is the result. Comparisons give 1 or 0.
 */
export interface PostProgram {
  readonly registers: number;
  readonly instructions: readonly PostInstruction[];
  readonly output: number;
}

export const IDENTITY_PROGRAM: PostProgram = { registers: 1, instructions: [], output: 0 };

/**
 * A tree ensemble as flat typed arrays. `trueChild` is taken when the node's test holds, or when
 * the value is NaN and `missingTrue` is set (ONNX `nodes_missing_value_tracks_true`).
 */
export interface FlatEnsemble {
  readonly numFeatures: number;
  /** Root node of each tree, in summation order. */
  readonly roots: Int32Array;
  readonly mode: Uint8Array;
  readonly feature: Int32Array;
  /** float32 thresholds. */
  readonly threshold: Float32Array;
  readonly missingTrue: Uint8Array;
  readonly trueChild: Int32Array;
  readonly falseChild: Int32Array;
  /** float32 leaf values. */
  readonly leafValue: Float32Array;
  /** BRANCH_MEMBER nodes: their set is members[memberStart[n] .. memberEnd[n]). */
  readonly memberStart: Int32Array;
  readonly memberEnd: Int32Array;
  readonly members: Float32Array;
  /** float32 base value added after the trees. */
  readonly base: number;
  readonly post: PostProgram;
}

const f32 = Math.fround;

/**
 * The reference evaluator: computes exactly what onnxruntime computes for a TreeEnsembleRegressor
 * with float input: leaf values summed in float32 in tree order, the base value added, then the
 * element-wise steps in float32.
 */
export class TreeEnsembleEvaluator {
  /**
   * The nodes packed for speed, 16 bytes each: [value or threshold (float32 bits), feature |
   * mode << 24 | missingTrue << 28, true child record, false child record].
   */
  private readonly packed: Int32Array;
  private readonly packedFloat: Float32Array;
  private readonly rootRecords: Int32Array;

  constructor(readonly ensemble: FlatEnsemble) {
    const n = ensemble.mode.length;
    this.packed = new Int32Array(n * 4);
    this.packedFloat = new Float32Array(this.packed.buffer);
    for (let i = 0; i < n; i++) {
      const mode = ensemble.mode[i] as number;
      const feature = ensemble.feature[i] as number;
      if (mode !== NodeMode.LEAF && (feature < 0 || feature >= ensemble.numFeatures)) {
        throw DomainError.validation('model', `node ${i} reads feature ${feature}, outside the ${ensemble.numFeatures} input columns`);
      }
      this.packedFloat[i * 4] = mode === NodeMode.LEAF ? (ensemble.leafValue[i] as number) : (ensemble.threshold[i] as number);
      this.packed[i * 4 + 1] = (mode === NodeMode.LEAF ? 0 : feature) | (mode << 24) | ((ensemble.missingTrue[i] as number) << 28);
      this.packed[i * 4 + 2] = (ensemble.trueChild[i] as number) * 4;
      this.packed[i * 4 + 3] = (ensemble.falseChild[i] as number) * 4;
    }
    this.rootRecords = Int32Array.from(ensemble.roots, (r) => r * 4);
  }

  get numFeatures(): number {
    return this.ensemble.numFeatures;
  }

  get treeCount(): number {
    return this.ensemble.roots.length;
  }

  /** Evaluator of a trained model (numeric splits as BRANCH_LEQ, categorical as set membership). */
  static fromModel(model: GbdtModel): TreeEnsembleEvaluator {
    return new TreeEnsembleEvaluator(flattenModel(model));
  }

  /** Predictions in target units for `rows` rows of a row-major float32 matrix. */
  evaluate(features: Float32Array, rows: number): Float32Array {
    const out = this.evaluateRaw(features, rows);
    const post = this.ensemble.post;
    if (post.instructions.length === 0 && post.output === 0) return out;
    const registers = new Float64Array(post.registers);
    for (let r = 0; r < rows; r++) out[r] = runPostProgram(post, out[r] as number, registers);
    return out;
  }

  /** The ensemble's own output (trees + base), before the element-wise steps. */
  evaluateRaw(features: Float32Array, rows: number): Float32Array {
    const e = this.ensemble;
    const numFeatures = e.numFeatures;
    if (!Number.isInteger(rows) || rows < 0) throw DomainError.validation('rows', 'must be a non-negative integer');
    if (features.length < rows * numFeatures) {
      throw DomainError.validation('features', `expected ${rows} × ${numFeatures} values, got ${features.length}`);
    }
    const { packed, packedFloat, rootRecords } = this;
    const { memberStart, memberEnd, members, base } = e;
    // Trees outside, rows inside: one tree's nodes stay in cache while every row walks it. Each
    // row still adds its leaves in tree order, in float32, as onnxruntime does.
    const out = new Float32Array(rows);
    const treeCount = rootRecords.length;
    for (let t = 0; t < treeCount; t++) {
      const root = rootRecords[t] as number;
      for (let r = 0; r < rows; r++) {
        const offset = r * numFeatures;
        let p = root;
        let meta = packed[p + 1] as number;
        let mode = (meta >>> 24) & 15;
        while (mode !== NodeMode.LEAF) {
          const x = features[offset + (meta & 0xffffff)] as number;
          const threshold = packedFloat[p] as number;
          let goTrue: boolean;
          if (mode === NodeMode.BRANCH_LEQ) {
            goTrue = x <= threshold;
          } else if (mode === NodeMode.BRANCH_MEMBER) {
            goTrue = false;
            const node = p >> 2;
            for (let k = memberStart[node] as number; k < (memberEnd[node] as number); k++) {
              if (members[k] === x) {
                goTrue = true;
                break;
              }
            }
          } else if (mode === NodeMode.BRANCH_LT) {
            goTrue = x < threshold;
          } else if (mode === NodeMode.BRANCH_GTE) {
            goTrue = x >= threshold;
          } else if (mode === NodeMode.BRANCH_GT) {
            goTrue = x > threshold;
          } else if (mode === NodeMode.BRANCH_EQ) {
            goTrue = x === threshold;
          } else {
            goTrue = x !== threshold;
          }
          // NaN fails every comparison but !=; missing_value_tracks_true sends it to the true child.
          if (x !== x && meta >>> 28 === 1) goTrue = true;
          p = goTrue ? (packed[p + 2] as number) : (packed[p + 3] as number);
          meta = packed[p + 1] as number;
          mode = (meta >>> 24) & 15;
        }
        out[r] = f32((out[r] as number) + (packedFloat[p] as number));
      }
    }
    for (let r = 0; r < rows; r++) out[r] = f32((out[r] as number) + base);
    return out;
  }
}

function operand(o: PostOperand, registers: Float64Array): number {
  return 'reg' in o ? (registers[o.reg] as number) : o.value;
}

/** Runs a post program on one value, in float32 like onnxruntime. */
export function runPostProgram(program: PostProgram, value: number, registers = new Float64Array(program.registers)): number {
  registers[0] = value;
  for (const ins of program.instructions) {
    let x: number;
    switch (ins.op) {
      case 'exp':
        x = f32(Math.exp(operand(ins.a, registers)));
        break;
      case 'relu': {
        const a = operand(ins.a, registers);
        x = a < 0 ? 0 : a;
        break;
      }
      case 'neg':
        x = -operand(ins.a, registers);
        break;
      case 'abs':
        x = Math.abs(operand(ins.a, registers));
        break;
      case 'identity':
        x = operand(ins.a, registers);
        break;
      case 'where':
        x = operand(ins.condition, registers) !== 0 ? operand(ins.a, registers) : operand(ins.b, registers);
        break;
      default:
        x = binary(ins.op, operand(ins.a, registers), operand(ins.b, registers));
    }
    registers[ins.out] = x;
  }
  return registers[program.output] as number;
}

function binary(op: BinaryPostOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return f32(a + b);
    case 'sub':
      return f32(a - b);
    case 'mul':
      return f32(a * b);
    case 'div':
      return f32(a / b);
    case 'max':
      return a !== a || b !== b ? Number.NaN : Math.max(a, b);
    case 'min':
      return a !== a || b !== b ? Number.NaN : Math.min(a, b);
    case 'less':
      return a < b ? 1 : 0;
    case 'lessOrEqual':
      return a <= b ? 1 : 0;
    case 'greater':
      return a > b ? 1 : 0;
    case 'greaterOrEqual':
      return a >= b ? 1 : 0;
    default: {
      const never: never = op;
      throw new Error(`unknown step ${String(never)}`);
    }
  }
}

/** Below this raw score, log1p models compute expm1 with a polynomial (see `unitsProgram`). */
export const EXPM1_POLYNOMIAL_BELOW = 0.125;

/**
 * The steps that turn a model's raw score into target units:
 * - squared loss: none;
 * - Poisson: exp(s);
 * - log1p target: expm1(max(s, 0)), as Where(r < 0.125, Min(polynomial(r), c), Max(Exp(r) − 1, c))
 *   with r = Max(s, 0) and c = polynomial(0.125). Exp − 1 alone loses the relative precision of
 *   small results (and float32 Exp differs by an ulp between implementations); the degree-7
 *   Taylor polynomial (Horner, Mul / Add only, exact IEEE float32 everywhere) is accurate to
 *   < 1e-9 relative there; the clamps at c keep the whole transform monotone. Negative scores
 *   are 0 units.
 */
export function unitsProgram(model: Pick<GbdtModel, 'params'>): PostProgram {
  if (model.params.loss === 'poisson') return { registers: 2, instructions: [{ op: 'exp', a: { reg: 0 }, out: 1 }], output: 1 };
  if (model.params.targetTransform !== 'log1p') return IDENTITY_PROGRAM;
  const ins: PostInstruction[] = [];
  const r = 1;
  ins.push({ op: 'max', a: { reg: 0 }, b: { value: 0 }, out: r });
  // Horner: x(1 + x(1/2 + x(1/6 + x(1/24 + x(1/120 + x(1/720 + x/5040))))))
  const coefficients = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1].map(f32);
  let t = 2;
  ins.push({ op: 'mul', a: { reg: r }, b: { value: coefficients[0] as number }, out: t });
  for (let k = 1; k < coefficients.length; k++) {
    ins.push({ op: 'add', a: { reg: t }, b: { value: coefficients[k] as number }, out: t + 1 });
    ins.push({ op: 'mul', a: { reg: t + 1 }, b: { reg: r }, out: t + 2 });
    t += 2;
  }
  const polynomial = t;
  // Both branches are clamped at the polynomial's value at the switch point, so the transform
  // stays monotone even where float32 Exp − 1 and the polynomial differ by an ulp.
  const x = f32(EXPM1_POLYNOMIAL_BELOW);
  let atSwitch = f32(x * (coefficients[0] as number));
  for (let k = 1; k < coefficients.length; k++) atSwitch = f32(f32(atSwitch + (coefficients[k] as number)) * x);
  const low = t + 1;
  const exp = t + 2;
  const expm1 = t + 3;
  const high = t + 4;
  const small = t + 5;
  const units = t + 6;
  ins.push({ op: 'min', a: { reg: polynomial }, b: { value: atSwitch }, out: low });
  ins.push({ op: 'exp', a: { reg: r }, out: exp });
  ins.push({ op: 'sub', a: { reg: exp }, b: { value: 1 }, out: expm1 });
  ins.push({ op: 'max', a: { reg: expm1 }, b: { value: atSwitch }, out: high });
  ins.push({ op: 'less', a: { reg: r }, b: { value: EXPM1_POLYNOMIAL_BELOW }, out: small });
  ins.push({ op: 'where', condition: { reg: small }, a: { reg: low }, b: { reg: high }, out: units });
  return { registers: units + 1, instructions: ins, output: units };
}

function flattenModel(model: GbdtModel): FlatEnsemble {
  let total = 0;
  let memberTotal = 0;
  for (const tree of model.trees) {
    total += tree.nodes.length;
    for (const node of tree.nodes) memberTotal += node.categories?.length ?? 0;
  }
  const roots = new Int32Array(model.trees.length);
  const mode = new Uint8Array(total);
  const feature = new Int32Array(total);
  const threshold = new Float32Array(total);
  const missingTrue = new Uint8Array(total);
  const trueChild = new Int32Array(total);
  const falseChild = new Int32Array(total);
  const leafValue = new Float32Array(total);
  const memberStart = new Int32Array(total);
  const memberEnd = new Int32Array(total);
  const members = new Float32Array(memberTotal);
  let offset = 0;
  let memberOffset = 0;
  model.trees.forEach((tree, t) => {
    roots[t] = offset;
    tree.nodes.forEach((node, i) => {
      const n = offset + i;
      if (node.isLeaf) {
        mode[n] = NodeMode.LEAF;
        leafValue[n] = node.value;
        return;
      }
      feature[n] = node.feature;
      missingTrue[n] = node.defaultLeft ? 1 : 0;
      trueChild[n] = offset + node.left;
      falseChild[n] = offset + node.right;
      if (node.categories !== null) {
        mode[n] = NodeMode.BRANCH_MEMBER;
        memberStart[n] = memberOffset;
        for (const code of node.categories) members[memberOffset++] = code;
        memberEnd[n] = memberOffset;
      } else {
        mode[n] = NodeMode.BRANCH_LEQ;
        threshold[n] = node.threshold;
      }
    });
    offset += tree.nodes.length;
  });
  return {
    numFeatures: model.features.length,
    roots,
    mode,
    feature,
    threshold,
    missingTrue,
    trueChild,
    falseChild,
    leafValue,
    memberStart,
    memberEnd,
    members,
    base: f32(model.baseScore),
    post: unitsProgram(model),
  };
}
