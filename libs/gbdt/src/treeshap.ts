import { DomainError } from '@dynaprice/kernel';
import { NodeMode, type FlatEnsemble } from './evaluator';
import type { GbdtTree, TreeNode } from './types';

/**
 * Exact SHAP values of a tree ensemble's RAW score (the sum of the trees plus the base score, before
 * any element-wise step such as Exp for Poisson models): `baseValue + Σ values = prediction`.
 */
export interface ShapExplanation {
  /** The expected raw score when no feature is known (the game's value of the empty set). */
  readonly baseValue: number;
  /** One attribution per input column (0 for columns no split reads). */
  readonly values: Float64Array;
  /** The raw score of the row: the base score plus the leaves it reaches, summed in float64. */
  readonly prediction: number;
}

const f32 = Math.fround;

/**
 * Where a split of a trained tree sends a value, exactly as `TreeEnsembleEvaluator.fromModel` routes it:
 * the value is read as float32; numeric: left when x <= threshold (float32); categorical: left when x
 * is one of the codes; NaN: left iff `defaultLeft`.
 */
function goesLeft(node: TreeNode, x: number): boolean {
  if (x !== x) return node.defaultLeft;
  if (node.categories !== null) {
    for (const code of node.categories) if (f32(code) === x) return true;
    return false;
  }
  return x <= f32(node.threshold);
}

/**
 * The share of a node's cover that went to one child: TreeSHAP's "zero fraction", the weight of that
 * child when the split feature is unknown. A node without cover (never reached in training) splits evenly.
 */
export function coverFraction(parent: TreeNode, child: TreeNode): number {
  return parent.cover > 0 ? child.cover / parent.cover : 0.5;
}

/** A tree compiled for TreeSHAP: typed arrays and the zero fraction of each child. */
interface CompiledTree {
  readonly nodes: readonly TreeNode[];
  readonly leftFraction: Float64Array;
  readonly rightFraction: Float64Array;
  readonly maxDepth: number;
  /** E[tree] with every feature unknown (cover-weighted mean of the leaves). */
  readonly expected: number;
}

function compileTree(tree: GbdtTree, numFeatures: number, t: number): CompiledTree {
  const nodes = tree.nodes;
  const n = nodes.length;
  if (n === 0) throw DomainError.validation(`trees[${t}]`, 'has no nodes');
  const leftFraction = new Float64Array(n);
  const rightFraction = new Float64Array(n);
  const depth = new Int32Array(n).fill(-1);
  depth[0] = 0;
  let maxDepth = 0;
  // Nodes in depth-first order from the root; a tree is a tree (every node reached once).
  const order: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    order.push(i);
    const node = nodes[i] as TreeNode;
    if (node.isLeaf) continue;
    if (node.feature < 0 || node.feature >= numFeatures) throw DomainError.validation(`trees[${t}]`, `node ${i} reads feature ${node.feature}, outside the ${numFeatures} columns`);
    for (const child of [node.left, node.right]) {
      if (!(child > 0 && child < n) || depth[child] !== -1) throw DomainError.validation(`trees[${t}]`, `node ${i} points to node ${child}, which is not a fresh node of the tree`);
      depth[child] = (depth[i] as number) + 1;
      maxDepth = Math.max(maxDepth, depth[child] as number);
      stack.push(child);
    }
    leftFraction[i] = coverFraction(node, nodes[node.left] as TreeNode);
    rightFraction[i] = coverFraction(node, nodes[node.right] as TreeNode);
  }
  const expectedAt = new Float64Array(n);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k] as number;
    const node = nodes[i] as TreeNode;
    expectedAt[i] = node.isLeaf
      ? f32(node.value)
      : (leftFraction[i] as number) * (expectedAt[node.left] as number) + (rightFraction[i] as number) * (expectedAt[node.right] as number);
  }
  return { nodes, leftFraction, rightFraction, maxDepth, expected: expectedAt[0] as number };
}

/**
 * Path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
 * for tree ensembles", Algorithm 2) for trees that record the training cover of every node.
 *
 * The game it solves exactly: v(S) = E[f(x) | x_S], where the expectation follows x's path at splits on
 * a feature in S and otherwise averages both children weighted by their share of the node's cover
 * (`coverFraction`); splits route values exactly as the evaluator does (float32 thresholds, categorical
 * sets, missing values to the default side). Polynomial time: O(trees × leaves × depth²) per row.
 */
export class PathDependentTreeShap {
  private readonly trees: readonly CompiledTree[];
  /** Path scratch: feature, zero fraction, one fraction, proportion weight per element. */
  private readonly pathFeature: Int32Array;
  private readonly pathZero: Float64Array;
  private readonly pathOne: Float64Array;
  private readonly pathWeight: Float64Array;
  /** E[f] with no feature known: base score + Σ cover-weighted tree means. */
  readonly expectedValue: number;

  constructor(
    trees: readonly GbdtTree[],
    readonly baseScore: number,
    readonly numFeatures: number,
  ) {
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw DomainError.validation('numFeatures', 'must be a positive integer');
    this.trees = trees.map((tree, t) => compileTree(tree, numFeatures, t));
    const maxDepth = this.trees.reduce((max, tree) => Math.max(max, tree.maxDepth), 0);
    // The path of depth d takes d + 2 elements (the root's dummy element included); each level copies
    // its parent's path: Σ_{d=0}^{D+1} (d + 1) elements at most.
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 4;
    this.pathFeature = new Int32Array(size);
    this.pathZero = new Float64Array(size);
    this.pathOne = new Float64Array(size);
    this.pathWeight = new Float64Array(size);
    let expected = f32(baseScore);
    for (const tree of this.trees) expected += tree.expected;
    this.expectedValue = expected;
  }

  get treeCount(): number {
    return this.trees.length;
  }

  /** The raw score alone: base score + the leaves the row reaches, in float64. */
  predict(row: ArrayLike<number>): number {
    let prediction = f32(this.baseScore);
    for (const tree of this.trees) prediction += leafValue(tree.nodes, row);
    return prediction;
  }

  /** SHAP values of one row (`numFeatures` values; NaN = missing). */
  explain(row: ArrayLike<number>): ShapExplanation {
    if (row.length < this.numFeatures) throw DomainError.validation('row', `expected ${this.numFeatures} values, got ${row.length}`);
    const x = new Float64Array(this.numFeatures);
    for (let f = 0; f < this.numFeatures; f++) x[f] = f32(row[f] as number);
    const phi = new Float64Array(this.numFeatures);
    let prediction = f32(this.baseScore);
    for (const tree of this.trees) {
      prediction += leafValue(tree.nodes, x);
      this.recurse(tree, 0, x, phi, 0, 0, 1, 1, -1);
    }
    return { baseValue: this.expectedValue, values: phi, prediction };
  }

  /**
   * Algorithm 2's RECURSE. The node's path is stored from `parentStart + uniqueDepth + 1` on (its
   * parent's path is at `parentStart`), as in the reference implementation.
   */
  private recurse(
    tree: CompiledTree,
    index: number,
    x: Float64Array,
    phi: Float64Array,
    parentStart: number,
    uniqueDepth: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    const { pathFeature, pathZero, pathOne, pathWeight } = this;
    const start = parentStart + uniqueDepth + 1;
    for (let i = 0; i < uniqueDepth; i++) {
      pathFeature[start + i] = pathFeature[parentStart + i] as number;
      pathZero[start + i] = pathZero[parentStart + i] as number;
      pathOne[start + i] = pathOne[parentStart + i] as number;
      pathWeight[start + i] = pathWeight[parentStart + i] as number;
    }
    this.extend(start, uniqueDepth, parentZero, parentOne, parentFeature);

    const node = tree.nodes[index] as TreeNode;
    if (node.isLeaf) {
      const value = f32(node.value);
      for (let i = 1; i <= uniqueDepth; i++) {
        const w = this.unwoundSum(start, uniqueDepth, i);
        const f = pathFeature[start + i] as number;
        phi[f] = (phi[f] as number) + w * ((pathOne[start + i] as number) - (pathZero[start + i] as number)) * value;
      }
      return;
    }

    const left = goesLeft(node, x[node.feature] as number);
    const hot = left ? node.left : node.right;
    const cold = left ? node.right : node.left;
    const hotZero = left ? (tree.leftFraction[index] as number) : (tree.rightFraction[index] as number);
    const coldZero = left ? (tree.rightFraction[index] as number) : (tree.leftFraction[index] as number);
    let incomingZero = 1;
    let incomingOne = 1;
    let depth = uniqueDepth;
    // A feature split on earlier in the path: undo that split and redo it here.
    let p = 0;
    while (p <= depth && pathFeature[start + p] !== node.feature) p++;
    if (p <= depth) {
      incomingZero = pathZero[start + p] as number;
      incomingOne = pathOne[start + p] as number;
      this.unwind(start, depth, p);
      depth -= 1;
    }
    // A child whose zero and one fractions are both 0 is worth nothing in every coalition (a cold child
    // without cover, or a hot child without cover after an earlier cold split on the same feature): skip it.
    if (hotZero * incomingZero !== 0 || incomingOne !== 0) this.recurse(tree, hot, x, phi, start, depth + 1, hotZero * incomingZero, incomingOne, node.feature);
    if (coldZero * incomingZero !== 0) this.recurse(tree, cold, x, phi, start, depth + 1, coldZero * incomingZero, 0, node.feature);
  }

  private extend(start: number, uniqueDepth: number, zero: number, one: number, feature: number): void {
    const { pathFeature, pathZero, pathOne, pathWeight } = this;
    const at = start + uniqueDepth;
    pathFeature[at] = feature;
    pathZero[at] = zero;
    pathOne[at] = one;
    pathWeight[at] = uniqueDepth === 0 ? 1 : 0;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      pathWeight[start + i + 1] = (pathWeight[start + i + 1] as number) + (one * (pathWeight[start + i] as number) * (i + 1)) / (uniqueDepth + 1);
      pathWeight[start + i] = (zero * (pathWeight[start + i] as number) * (uniqueDepth - i)) / (uniqueDepth + 1);
    }
  }

  private unwind(start: number, uniqueDepth: number, pathIndex: number): void {
    const { pathFeature, pathZero, pathOne, pathWeight } = this;
    const one = pathOne[start + pathIndex] as number;
    const zero = pathZero[start + pathIndex] as number;
    let nextOnePortion = pathWeight[start + uniqueDepth] as number;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pathWeight[start + i] as number;
        pathWeight[start + i] = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * one);
        nextOnePortion = tmp - ((pathWeight[start + i] as number) * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
      } else {
        pathWeight[start + i] = ((pathWeight[start + i] as number) * (uniqueDepth + 1)) / (zero * (uniqueDepth - i));
      }
    }
    for (let i = pathIndex; i < uniqueDepth; i++) {
      pathFeature[start + i] = pathFeature[start + i + 1] as number;
      pathZero[start + i] = pathZero[start + i + 1] as number;
      pathOne[start + i] = pathOne[start + i + 1] as number;
    }
  }

  /** Σ of the path's weights with element `pathIndex` unwound (without changing the path). */
  private unwoundSum(start: number, uniqueDepth: number, pathIndex: number): number {
    const { pathZero, pathOne, pathWeight } = this;
    const one = pathOne[start + pathIndex] as number;
    const zero = pathZero[start + pathIndex] as number;
    let nextOnePortion = pathWeight[start + uniqueDepth] as number;
    let total = 0;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * one);
        total += tmp;
        nextOnePortion = (pathWeight[start + i] as number) - (tmp * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
      } else if (zero !== 0) {
        total += (pathWeight[start + i] as number) / zero / ((uniqueDepth - i) / (uniqueDepth + 1));
      }
    }
    return total;
  }
}

/** The (float32) leaf value a row reaches in a trained tree. */
function leafValue(nodes: readonly TreeNode[], x: ArrayLike<number>): number {
  let node = nodes[0] as TreeNode;
  while (!node.isLeaf) node = nodes[goesLeft(node, f32(x[node.feature] as number)) ? node.left : node.right] as TreeNode;
  return f32(node.value);
}

// ---------------------------------------------------------------------------------------------
// Interventional TreeSHAP on any tree ensemble (no cover needed).

/**
 * Whether a node of a flat ensemble sends `x` to its true child: exactly `TreeEnsembleEvaluator`'s
 * test (ONNX modes, set membership, NaN to the true child iff missing_value_tracks_true).
 */
function goesTrue(e: FlatEnsemble, node: number, x: number): boolean {
  const mode = e.mode[node] as number;
  const threshold = e.threshold[node] as number;
  let result: boolean;
  switch (mode) {
    case NodeMode.BRANCH_LEQ:
      result = x <= threshold;
      break;
    case NodeMode.BRANCH_LT:
      result = x < threshold;
      break;
    case NodeMode.BRANCH_GTE:
      result = x >= threshold;
      break;
    case NodeMode.BRANCH_GT:
      result = x > threshold;
      break;
    case NodeMode.BRANCH_EQ:
      result = x === threshold;
      break;
    case NodeMode.BRANCH_NEQ:
      result = x !== threshold;
      break;
    case NodeMode.BRANCH_MEMBER: {
      result = false;
      for (let k = e.memberStart[node] as number; k < (e.memberEnd[node] as number); k++) {
        if (e.members[k] === x) {
          result = true;
          break;
        }
      }
      break;
    }
    default:
      throw DomainError.validation('model', `node ${node} is not a branch`);
  }
  if (x !== x && e.missingTrue[node] === 1) result = true;
  return result;
}

/** The raw score of one float32 row of a flat ensemble, in float64 (leaves are float32 values). */
function flatRaw(e: FlatEnsemble, x: Float64Array): number {
  let sum = e.base;
  for (let t = 0; t < e.roots.length; t++) {
    let node = e.roots[t] as number;
    while (e.mode[node] !== NodeMode.LEAF) {
      const feature = e.feature[node] as number;
      node = goesTrue(e, node, x[feature] as number) ? (e.trueChild[node] as number) : (e.falseChild[node] as number);
    }
    sum += e.leafValue[node] as number;
  }
  return sum;
}

/** Feature states while walking one (foreground, background) pair through a tree. */
const UNSEEN = 0;
const FROM_X = 1;
const FROM_B = 2;

/**
 * Interventional (a.k.a. "independent" / "marginal") TreeSHAP against a background sample, for tree
 * ensembles without cover (models trained elsewhere): the exact Shapley values of
 * v(S) = mean over background rows b of f(x_S, b_S̄) — the row's values on S, the background row's
 * elsewhere (Lundberg et al. 2020, "From local explanations to global understanding with explainable
 * AI for trees", Methods). Per pair (x, b) a tree walk follows both where they part: a leaf reached
 * with features A taken from x and B from b is worth its value only when A ⊆ S and B ∩ S = ∅, whose
 * Shapley values are v·(|A|−1)!|B|!/(|A|+|B|)! for each of A and −v·|A|!(|B|−1)!/(|A|+|B|)! for each of B.
 * Routing is the evaluator's (`goesTrue`). O(background × trees × leaves × depth) per row.
 */
export class InterventionalTreeShap {
  private readonly background: Float64Array;
  readonly backgroundRows: number;
  readonly numFeatures: number;
  /** Mean raw score of the background rows: the base value. */
  readonly expectedValue: number;
  private readonly state: Uint8Array;
  /** Features on the current path that are in A or B (a stack). */
  private readonly pathFeatures: Int32Array;
  private pathLength = 0;
  /** weight[a * stride + b] = a! b! / (a + b + 1)!. */
  private readonly weight: Float64Array;
  private readonly stride: number;

  constructor(
    private readonly ensemble: FlatEnsemble,
    background: ArrayLike<number>,
    backgroundRows: number,
  ) {
    const numFeatures = ensemble.numFeatures;
    if (!Number.isInteger(backgroundRows) || backgroundRows < 1) throw DomainError.validation('background', 'needs at least one row');
    if (background.length < backgroundRows * numFeatures) {
      throw DomainError.validation('background', `expected ${backgroundRows} × ${numFeatures} values, got ${background.length}`);
    }
    this.numFeatures = numFeatures;
    this.backgroundRows = backgroundRows;
    this.background = new Float64Array(backgroundRows * numFeatures);
    for (let i = 0; i < this.background.length; i++) this.background[i] = f32(background[i] as number);
    let total = 0;
    for (let r = 0; r < backgroundRows; r++) total += flatRaw(ensemble, this.background.subarray(r * numFeatures, (r + 1) * numFeatures));
    this.expectedValue = total / backgroundRows;
    this.state = new Uint8Array(numFeatures);
    this.pathFeatures = new Int32Array(numFeatures);
    // |A| + |B| never exceeds the number of features.
    this.stride = numFeatures + 1;
    this.weight = new Float64Array(this.stride * this.stride);
    for (let a = 0; a <= numFeatures; a++) {
      for (let b = 0; a + b <= numFeatures; b++) {
        // a! b! / (a + b + 1)! = 1 / ((a + b + 1) · C(a + b, a))
        let binomial = 1;
        for (let k = 1; k <= a; k++) binomial = (binomial * (b + k)) / k;
        this.weight[a * this.stride + b] = 1 / ((a + b + 1) * binomial);
      }
    }
  }

  explain(row: ArrayLike<number>): ShapExplanation {
    const numFeatures = this.numFeatures;
    if (row.length < numFeatures) throw DomainError.validation('row', `expected ${numFeatures} values, got ${row.length}`);
    const x = new Float64Array(numFeatures);
    for (let f = 0; f < numFeatures; f++) x[f] = f32(row[f] as number);
    const phi = new Float64Array(numFeatures);
    const e = this.ensemble;
    for (let r = 0; r < this.backgroundRows; r++) {
      const b = this.background.subarray(r * numFeatures, (r + 1) * numFeatures);
      for (let t = 0; t < e.roots.length; t++) this.walk(e.roots[t] as number, x, b, phi, 0, 0);
    }
    for (let f = 0; f < numFeatures; f++) phi[f] = (phi[f] as number) / this.backgroundRows;
    return { baseValue: this.expectedValue, values: phi, prediction: flatRaw(e, x) };
  }

  private walk(node: number, x: Float64Array, b: Float64Array, phi: Float64Array, fromX: number, fromB: number): void {
    const e = this.ensemble;
    while (e.mode[node] !== NodeMode.LEAF) {
      const feature = e.feature[node] as number;
      const state = this.state[feature] as number;
      const xTrue = goesTrue(e, node, x[feature] as number);
      if (state === FROM_X) {
        node = xTrue ? (e.trueChild[node] as number) : (e.falseChild[node] as number);
        continue;
      }
      const bTrue = goesTrue(e, node, b[feature] as number);
      if (state === FROM_B || xTrue === bTrue) {
        node = bTrue ? (e.trueChild[node] as number) : (e.falseChild[node] as number);
        continue;
      }
      // x and b part here on a feature not fixed yet: the feature comes from x on one side, from b on the other.
      this.pathFeatures[this.pathLength++] = feature;
      this.state[feature] = FROM_X;
      this.walk(xTrue ? (e.trueChild[node] as number) : (e.falseChild[node] as number), x, b, phi, fromX + 1, fromB);
      this.state[feature] = FROM_B;
      this.walk(bTrue ? (e.trueChild[node] as number) : (e.falseChild[node] as number), x, b, phi, fromX, fromB + 1);
      this.state[feature] = UNSEEN;
      this.pathLength--;
      return;
    }
    if (fromX + fromB === 0) return;
    const value = e.leafValue[node] as number;
    const plus = fromX > 0 ? value * (this.weight[(fromX - 1) * this.stride + fromB] as number) : 0;
    const minus = fromB > 0 ? value * (this.weight[fromX * this.stride + fromB - 1] as number) : 0;
    for (let i = 0; i < this.pathLength; i++) {
      const f = this.pathFeatures[i] as number;
      if (this.state[f] === FROM_X) phi[f] = (phi[f] as number) + plus;
      else phi[f] = (phi[f] as number) - minus;
    }
  }
}
