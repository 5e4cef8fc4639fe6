import { MISSING_BIN, OTHER_BIN, type FeatureBinning } from './binning';
import { buildHistograms, COUNT, FEATURE_STRIDE, HESS, type HistogramInputs } from './histogram';
import type { GbdtParams, TreeNode } from './types';

interface SplitChoice {
  gain: number;
  feature: number;
  /** Numeric: rows with bin <= this go left. */
  bin: number;
  defaultLeft: boolean;
  /** Categorical: bins that go left. */
  leftBins: number[] | null;
  gl: number;
  hl: number;
  cl: number;
  gr: number;
  hr: number;
  cr: number;
  outLeft: number;
  outRight: number;
}

interface Leaf {
  node: number;
  begin: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  c: number;
  lower: number;
  upper: number;
  hist: Float64Array | null;
  split: SplitChoice | null;
}

interface MutableNode {
  isLeaf: boolean;
  feature: number;
  threshold: number;
  categories: number[] | null;
  defaultLeft: boolean;
  left: number;
  right: number;
  value: number;
  cover: number;
  hessian: number;
  gain: number;
}

/** A grown tree in two forms: the public nodes, and lookup tables to route binned rows. */
export interface GrownTree {
  readonly nodes: TreeNode[];
  readonly routing: BinnedTree;
  /** In-bag row ranges of `rowIndex` per leaf node: [node, begin, end, ...]. */
  readonly leafRanges: Int32Array;
}

/** A tree over binned data: node n sends a row left when tables[n * 256 + bin] is 1. */
export interface BinnedTree {
  readonly feature: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly tables: Uint8Array;
}

/** Adds the tree's output for every row of a column-major bin matrix to `out`. */
export function addBinnedTree(tree: BinnedTree, bins: Uint8Array, rows: number, out: Float64Array): void {
  const { feature, left, right, value, tables } = tree;
  for (let r = 0; r < rows; r++) {
    let n = 0;
    let next = left[0] as number;
    while (next >= 0) {
      const bin = bins[(feature[n] as number) * rows + r] as number;
      n = tables[(n << 8) | bin] === 1 ? next : (right[n] as number);
      next = left[n] as number;
    }
    out[r] = (out[r] as number) + (value[n] as number);
  }
}

/**
 * Grows one regression tree on binned data with gradient / hessian statistics. Histograms are
 * built for the smaller child only (the larger one is parent − smaller); rows are partitioned in
 * place in `rowIndex` (stable, so each node's rows stay in ascending order for cache-friendly
 * gathers). No per-row allocation.
 */
export class TreeGrower {
  readonly rowIndex: Int32Array;
  /** Gradients and hessians by row: the caller writes them before each `grow`. */
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly scratch: Int32Array;
  private readonly input: HistogramInputs;
  /** The same inputs with the gradients in row order (for the root without bagging). */
  private readonly rowOrderInput: HistogramInputs;
  private readonly histPool: Float64Array[] = [];
  private readonly histSize: number;
  private readonly lambda: number;

  constructor(
    private readonly bins: Uint8Array,
    private readonly rows: number,
    private readonly binning: readonly FeatureBinning[],
    private readonly monotone: Int8Array,
    private readonly params: GbdtParams,
  ) {
    const withHess = params.loss === 'poisson';
    this.rowIndex = new Int32Array(rows);
    this.scratch = new Int32Array(rows);
    this.grad = new Float64Array(rows);
    this.hess = new Float64Array(withHess ? rows : 0);
    this.input = {
      bins,
      rows,
      rowIndex: this.rowIndex,
      orderedGrad: new Float64Array(rows),
      orderedHess: new Float64Array(withHess ? rows : 0),
    };
    this.rowOrderInput = { ...this.input, orderedGrad: this.grad, orderedHess: this.hess };
    this.histSize = binning.length * FEATURE_STRIDE;
    this.lambda = params.lambdaL2;
  }

  /**
   * Grows a tree on the first `bagCount` rows of `rowIndex` (the caller fills it; `identity` says
   * it holds 0..rows-1 in order). `constantHessian` > 0 means every hessian equals it (squared loss).
   */
  grow(constantHessian: number, bagCount: number, identity: boolean, features: Int32Array): GrownTree {
    const p = this.params;
    const { grad, hess } = this;
    const nodes: MutableNode[] = [];
    const idx = this.rowIndex;
    const withHess = constantHessian <= 0;
    let g = 0;
    let h = 0;
    for (let i = 0; i < bagCount; i++) g += grad[identity ? i : (idx[i] as number)] as number;
    if (withHess) for (let i = 0; i < bagCount; i++) h += hess[identity ? i : (idx[i] as number)] as number;
    else h = constantHessian * bagCount;
    const root: Leaf = { node: 0, begin: 0, end: bagCount, depth: 0, g, h, c: bagCount, lower: -Infinity, upper: Infinity, hist: null, split: null };
    nodes.push(this.leafNode(root));
    const open: Leaf[] = [root];
    if (this.canSplit(root, 2)) {
      root.hist = this.takeHist();
      this.buildHistogram(root, constantHessian, identity, features);
      this.findSplit(root, features);
      if (root.split === null) this.release(root);
    }
    let leaves = 1;
    while (leaves < p.maxLeaves) {
      let best = -1;
      for (let i = 0; i < open.length; i++) {
        const split = (open[i] as Leaf).split;
        if (split !== null && (best < 0 || split.gain > ((open[best] as Leaf).split as SplitChoice).gain)) best = i;
      }
      if (best < 0) break;
      const leaf = open[best] as Leaf;
      open.splice(best, 1);
      const split = leaf.split as SplitChoice;
      const table = this.routingTable(split);
      const mid = this.partition(leaf, split.feature, table);
      leaves++;
      const { lower, upper } = leaf;
      let leftLower = lower;
      let leftUpper = upper;
      let rightLower = lower;
      let rightUpper = upper;
      const direction = this.monotone[split.feature] as number;
      if (direction !== 0) {
        const middle = (split.outLeft + split.outRight) / 2;
        if (direction > 0) {
          leftUpper = Math.min(leftUpper, middle);
          rightLower = Math.max(rightLower, middle);
        } else {
          leftLower = Math.max(leftLower, middle);
          rightUpper = Math.min(rightUpper, middle);
        }
      }
      const depth = leaf.depth + 1;
      const left: Leaf = { node: nodes.length, begin: leaf.begin, end: mid, depth, g: split.gl, h: split.hl, c: mid - leaf.begin, lower: leftLower, upper: leftUpper, hist: null, split: null };
      nodes.push(this.leafNode(left));
      const right: Leaf = { node: nodes.length, begin: mid, end: leaf.end, depth, g: split.gr, h: split.hr, c: leaf.end - mid, lower: rightLower, upper: rightUpper, hist: null, split: null };
      nodes.push(this.leafNode(right));
      const parent = nodes[leaf.node] as MutableNode;
      parent.isLeaf = false;
      parent.feature = split.feature;
      parent.defaultLeft = split.defaultLeft;
      parent.left = left.node;
      parent.right = right.node;
      parent.gain = split.gain;
      if (split.leftBins === null) {
        parent.threshold = (this.binning[split.feature] as FeatureBinning).thresholds[split.bin] as number;
      } else {
        const codes = (this.binning[split.feature] as FeatureBinning).categories;
        parent.categories = split.leftBins.filter((b) => b < OTHER_BIN).map((b) => codes[b] as number).sort((a, b) => a - b);
      }

      const splitLeft = this.canSplit(left, leaves + 1);
      const splitRight = this.canSplit(right, leaves + 1);
      if (splitLeft || splitRight) {
        const parentHist = leaf.hist as Float64Array;
        const [small, large] = left.c <= right.c ? [left, right] : [right, left];
        small.hist = this.takeHist();
        this.buildHistogram(small, constantHessian, false, features);
        large.hist = parentHist;
        const sh = small.hist;
        for (let k = 0; k < features.length; k++) {
          const base = (features[k] as number) * FEATURE_STRIDE;
          for (let j = base; j < base + FEATURE_STRIDE; j++) parentHist[j] = (parentHist[j] as number) - (sh[j] as number);
        }
        leaf.hist = null;
        if (splitLeft) this.findSplit(left, features);
        if (splitRight) this.findSplit(right, features);
        if (left.split === null) this.release(left);
        if (right.split === null) this.release(right);
      } else {
        this.release(leaf);
      }
      open.push(left, right);
    }
    for (const leaf of open) this.release(leaf);

    // Leaf ranges in rowIndex, to add leaf values to in-bag rows without routing them again.
    const leafRanges = new Int32Array(open.length * 3);
    open.forEach((leaf, i) => {
      leafRanges[i * 3] = leaf.node;
      leafRanges[i * 3 + 1] = leaf.begin;
      leafRanges[i * 3 + 2] = leaf.end;
    });
    return { nodes: nodes as TreeNode[], routing: this.compile(nodes), leafRanges };
  }

  private canSplit(leaf: Leaf, leavesAfter: number): boolean {
    const p = this.params;
    return (
      leavesAfter <= p.maxLeaves &&
      (p.maxDepth <= 0 || leaf.depth < p.maxDepth) &&
      leaf.c >= 2 * p.minDataInLeaf &&
      leaf.h >= 2 * p.minHessianInLeaf
    );
  }

  private leafNode(leaf: Leaf): MutableNode {
    return {
      isLeaf: true,
      feature: -1,
      threshold: Number.NaN,
      categories: null,
      defaultLeft: false,
      left: -1,
      right: -1,
      value: Math.fround(this.output(leaf.g, leaf.h, leaf.lower, leaf.upper) * this.params.learningRate),
      cover: leaf.c,
      hessian: leaf.h,
      gain: 0,
    };
  }

  private output(g: number, h: number, lower: number, upper: number): number {
    const denominator = h + this.lambda;
    const w = denominator > 0 ? -g / denominator : 0;
    return w < lower ? lower : w > upper ? upper : w;
  }

  private takeHist(): Float64Array {
    const hist = this.histPool.pop();
    if (hist) {
      hist.fill(0);
      return hist;
    }
    return new Float64Array(this.histSize);
  }

  private release(leaf: Leaf): void {
    if (leaf.hist !== null) {
      this.histPool.push(leaf.hist);
      leaf.hist = null;
    }
  }

  private buildHistogram(leaf: Leaf, constantHessian: number, identity: boolean, features: Int32Array): void {
    const hist = leaf.hist as Float64Array;
    const withHess = constantHessian <= 0;
    const { begin, end } = leaf;
    if (identity) {
      // Rows begin..end in order: the gradients are already where the kernels look.
      buildHistograms(hist, this.rowOrderInput, begin, end, true, withHess, features);
    } else {
      // Gather the node's gradients once, by position, instead of once per feature.
      const { rowIndex, orderedGrad, orderedHess } = this.input;
      const { grad, hess } = this;
      for (let j = begin; j < end; j++) orderedGrad[j] = grad[rowIndex[j] as number] as number;
      if (withHess) for (let j = begin; j < end; j++) orderedHess[j] = hess[rowIndex[j] as number] as number;
      buildHistograms(hist, this.input, begin, end, false, withHess, features);
    }
    if (!withHess) {
      for (let j = 0; j < features.length; j++) {
        const base = (features[j] as number) * FEATURE_STRIDE;
        for (let b = 0; b < 256; b++) hist[base + HESS + b] = (hist[base + COUNT + b] as number) * constantHessian;
      }
    }
  }

  /** Stable in-place partition of the leaf's rows; returns the first position of the right child. */
  private partition(leaf: Leaf, feature: number, table: Uint8Array): number {
    const idx = this.rowIndex;
    const scratch = this.scratch;
    const bins = this.bins;
    const offset = feature * this.rows;
    const { begin, end } = leaf;
    let l = begin;
    let r = 0;
    // Branch-free: each row is written to both sides and only the chosen cursor advances.
    for (let i = begin; i < end; i++) {
      const row = idx[i] as number;
      const goLeft = table[bins[offset + row] as number] as number;
      idx[l] = row;
      scratch[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    idx.set(scratch.subarray(0, r), l);
    return l;
  }

  private routingTable(split: SplitChoice): Uint8Array {
    const table = new Uint8Array(256);
    if (split.leftBins === null) {
      for (let b = 0; b <= split.bin; b++) table[b] = 1;
    } else {
      for (const b of split.leftBins) table[b] = 1;
    }
    table[MISSING_BIN] = split.defaultLeft ? 1 : 0;
    return table;
  }

  private compile(nodes: MutableNode[]): BinnedTree {
    const n = nodes.length;
    const feature = new Int32Array(n);
    const left = new Int32Array(n);
    const right = new Int32Array(n);
    const value = new Float64Array(n);
    const tables = new Uint8Array(n * 256);
    nodes.forEach((node, i) => {
      feature[i] = Math.max(node.feature, 0);
      left[i] = node.left;
      right[i] = node.right;
      value[i] = node.value;
      if (node.isLeaf) return;
      const binning = this.binning[node.feature] as FeatureBinning;
      const base = i * 256;
      if (node.categories === null) {
        const t = binning.thresholds;
        for (let b = 0; b < binning.valueBins; b++) tables[base + b] = b < t.length && (t[b] as number) <= node.threshold ? 1 : 0;
      } else {
        const set = new Set(node.categories);
        for (let b = 0; b < binning.valueBins; b++) tables[base + b] = set.has(binning.categories[b] as number) ? 1 : 0;
      }
      tables[base + MISSING_BIN] = node.defaultLeft ? 1 : 0;
    });
    return { feature, left, right, value, tables };
  }

  private findSplit(leaf: Leaf, features: Int32Array): void {
    let best: SplitChoice | null = null;
    const bounded = leaf.lower > -Infinity || leaf.upper < Infinity;
    for (let k = 0; k < features.length; k++) {
      const f = features[k] as number;
      const binning = this.binning[f] as FeatureBinning;
      const candidate =
        binning.type === 'categorical' ? this.categoricalSplit(leaf, f, binning, bounded) : this.numericSplit(leaf, f, binning, bounded);
      if (candidate !== null && (best === null || candidate.gain > best.gain)) best = candidate;
    }
    leaf.split = best;
  }

  private gainOf(g: number, h: number, w: number): number {
    return -(2 * g * w + (h + this.lambda) * w * w);
  }

  private numericSplit(leaf: Leaf, f: number, binning: FeatureBinning, bounded: boolean): SplitChoice | null {
    const p = this.params;
    const hist = leaf.hist as Float64Array;
    const base = f * FEATURE_STRIDE;
    const valueBins = binning.valueBins;
    if (valueBins < 2) return null;
    const lambda = this.lambda;
    const { g, h, c, lower, upper } = leaf;
    const direction = this.monotone[f] as number;
    const constrained = bounded || direction !== 0;
    const parentGain = constrained ? this.gainOf(g, h, this.output(g, h, lower, upper)) : h + lambda > 0 ? (g * g) / (h + lambda) : 0;
    const mg = hist[base + MISSING_BIN] as number;
    const mh = hist[base + HESS + MISSING_BIN] as number;
    const mc = hist[base + COUNT + MISSING_BIN] as number;
    const minData = p.minDataInLeaf;
    const minHess = p.minHessianInLeaf;
    let bestGain = p.minGainToSplit;
    let found: SplitChoice | null = null;
    const passes = mc > 0 ? 2 : 1;
    for (let pass = 0; pass < passes; pass++) {
      const missingLeft = pass === 1;
      let gl = missingLeft ? mg : 0;
      let hl = missingLeft ? mh : 0;
      let cl = missingLeft ? mc : 0;
      for (let b = 0; b < valueBins - 1; b++) {
        gl += hist[base + b] as number;
        hl += hist[base + HESS + b] as number;
        cl += hist[base + COUNT + b] as number;
        if (cl < minData || hl < minHess) continue;
        const cr = c - cl;
        const hr = h - hl;
        if (cr < minData || hr < minHess) break;
        const gr = g - gl;
        let gain: number;
        let wl = 0;
        let wr = 0;
        if (constrained) {
          wl = this.output(gl, hl, lower, upper);
          wr = this.output(gr, hr, lower, upper);
          if ((direction > 0 && wl > wr) || (direction < 0 && wl < wr)) continue;
          gain = this.gainOf(gl, hl, wl) + this.gainOf(gr, hr, wr) - parentGain;
        } else {
          gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentGain;
        }
        if (gain > bestGain) {
          bestGain = gain;
          if (!constrained) {
            wl = this.output(gl, hl, lower, upper);
            wr = this.output(gr, hr, lower, upper);
          }
          found = {
            gain,
            feature: f,
            bin: b,
            defaultLeft: mc > 0 ? missingLeft : cl >= cr,
            leftBins: null,
            gl,
            hl,
            cl,
            gr,
            hr,
            cr,
            outLeft: wl,
            outRight: wr,
          };
        }
      }
    }
    return found;
  }

  /**
   * LightGBM-style set split: categories with enough rows are ordered by gradient / (hessian +
   * smoothing) and the best prefix, from either end, goes left. Rare, unseen and other codes go right.
   */
  private categoricalSplit(leaf: Leaf, f: number, binning: FeatureBinning, bounded: boolean): SplitChoice | null {
    const p = this.params;
    const hist = leaf.hist as Float64Array;
    const base = f * FEATURE_STRIDE;
    const candidates: number[] = [];
    for (let b = 0; b < binning.valueBins; b++) {
      if ((hist[base + COUNT + b] as number) >= Math.max(1, p.minCategorySupport)) candidates.push(b);
    }
    if (candidates.length === 0) return null;
    const smoothing = p.categoricalSmoothing;
    const ratio = (b: number): number => (hist[base + b] as number) / ((hist[base + HESS + b] as number) + smoothing);
    candidates.sort((a, b) => ratio(a) - ratio(b) || a - b);
    const lambda = this.lambda;
    const { g, h, c, lower, upper } = leaf;
    const parentGain = bounded ? this.gainOf(g, h, this.output(g, h, lower, upper)) : h + lambda > 0 ? (g * g) / (h + lambda) : 0;
    const mg = hist[base + MISSING_BIN] as number;
    const mh = hist[base + HESS + MISSING_BIN] as number;
    const mc = hist[base + COUNT + MISSING_BIN] as number;
    const maxLeft = Math.min(p.maxCategoriesPerSplit, candidates.length);
    let bestGain = p.minGainToSplit;
    let best: { gain: number; reverse: boolean; size: number; missingLeft: boolean; gl: number; hl: number; cl: number } | null = null;
    const passes = mc > 0 ? 2 : 1;
    for (let pass = 0; pass < passes; pass++) {
      const missingLeft = pass === 1;
      for (const reverse of [false, true]) {
        let gl = missingLeft ? mg : 0;
        let hl = missingLeft ? mh : 0;
        let cl = missingLeft ? mc : 0;
        for (let j = 0; j < maxLeft; j++) {
          const b = candidates[reverse ? candidates.length - 1 - j : j] as number;
          gl += hist[base + b] as number;
          hl += hist[base + HESS + b] as number;
          cl += hist[base + COUNT + b] as number;
          if (cl < p.minDataInLeaf || hl < p.minHessianInLeaf) continue;
          const cr = c - cl;
          const hr = h - hl;
          if (cr < p.minDataInLeaf || hr < p.minHessianInLeaf) break;
          const gr = g - gl;
          const gain = bounded
            ? this.gainOf(gl, hl, this.output(gl, hl, lower, upper)) + this.gainOf(gr, hr, this.output(gr, hr, lower, upper)) - parentGain
            : (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentGain;
          if (gain > bestGain) {
            bestGain = gain;
            best = { gain, reverse, size: j + 1, missingLeft, gl, hl, cl };
          }
        }
      }
    }
    if (best === null) return null;
    const leftBins: number[] = [];
    for (let j = 0; j < best.size; j++) leftBins.push(candidates[best.reverse ? candidates.length - 1 - j : j] as number);
    const cr = c - best.cl;
    return {
      gain: best.gain,
      feature: f,
      bin: -1,
      defaultLeft: mc > 0 ? best.missingLeft : false,
      leftBins,
      gl: best.gl,
      hl: best.hl,
      cl: best.cl,
      gr: g - best.gl,
      hr: h - best.hl,
      cr,
      outLeft: this.output(best.gl, best.hl, lower, upper),
      outRight: this.output(g - best.gl, h - best.hl, lower, upper),
    };
  }
}
