import { SeededRandom } from '@dynaprice/kernel';
import fc from 'fast-check';
import { NodeMode, TreeEnsembleEvaluator, type FlatEnsemble } from './evaluator';
import { createModelArtifacts } from './model-card';
import { exportOnnx, TREES_METADATA_KEY, treesToJson } from './onnx-export';
import { loadTreeEnsemble, readEmbeddedTrees } from './onnx-inspect';
import { syntheticDemand, SYNTHETIC_FEATURES } from './synthetic';
import { trainGbdt } from './train';
import { coverFraction, InterventionalTreeShap, PathDependentTreeShap, type ShapExplanation } from './treeshap';
import { ModelShapExplainer } from './treeshap-model';
import { DEFAULT_GBDT_PARAMS, type FeatureSpec, type GbdtModel, type GbdtTree, type TreeNode } from './types';

const f32 = Math.fround;
const TOLERANCE = 1e-9;
/**
 * Random trees with arbitrary cover counts: the unwinding step divides by small zero fractions, and
 * the values can be 20x the prediction with opposite signs (seed 1299538015, 2 trees: values up to
 * 58, prediction 3.59, sum off by 8.4e-8, 1.5e-9 of the largest value). Rounding, not a wrong value.
 */
const RANDOM_TREE_TOLERANCE = 1e-7;

// ---------------------------------------------------------------------------------------------
// Reference definitions, written independently of treeshap.ts: the games, and Shapley values by
// enumerating every subset of features.

/** Where a trained tree's split sends x (evaluator semantics, restated). */
function refLeft(node: TreeNode, raw: number): boolean {
  const x = f32(raw);
  if (Number.isNaN(x)) return node.defaultLeft;
  if (node.categories) return node.categories.some((code) => f32(code) === x);
  return x <= f32(node.threshold);
}

/** E[tree | x_S]: follow x at splits on S, else the cover-weighted mean of both children. */
function conditionalExpectation(nodes: readonly TreeNode[], i: number, x: ArrayLike<number>, known: number): number {
  const node = nodes[i] as TreeNode;
  if (node.isLeaf) return f32(node.value);
  if (known & (1 << node.feature)) return conditionalExpectation(nodes, refLeft(node, x[node.feature] as number) ? node.left : node.right, x, known);
  const left = nodes[node.left] as TreeNode;
  const right = nodes[node.right] as TreeNode;
  return coverFraction(node, left) * conditionalExpectation(nodes, node.left, x, known) + coverFraction(node, right) * conditionalExpectation(nodes, node.right, x, known);
}

/** Exact Shapley values of a game over `n` players given as v(bitmask). */
function shapley(n: number, v: (mask: number) => number): Float64Array {
  const values = new Float64Array(1 << n);
  for (let mask = 0; mask < 1 << n; mask++) values[mask] = v(mask);
  const factorial = [1];
  for (let k = 1; k <= n; k++) factorial.push((factorial[k - 1] as number) * k);
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let m = mask; m; m &= m - 1) size++;
      const weight = ((factorial[size] as number) * (factorial[n - size - 1] as number)) / (factorial[n] as number);
      phi[i] = (phi[i] as number) + weight * ((values[mask | (1 << i)] as number) - (values[mask] as number));
    }
  }
  return phi;
}

function bruteForcePathDependent(trees: readonly GbdtTree[], baseScore: number, n: number, x: ArrayLike<number>): { phi: Float64Array; base: number } {
  const v = (mask: number): number => trees.reduce((sum, tree) => sum + conditionalExpectation(tree.nodes, 0, x, mask), f32(baseScore));
  return { phi: shapley(n, v), base: v(0) };
}

/** A flat ensemble node's test (evaluator semantics, restated). */
function refTrue(e: FlatEnsemble, node: number, raw: number): boolean {
  const x = f32(raw);
  const t = e.threshold[node] as number;
  const tests: Record<number, () => boolean> = {
    [NodeMode.BRANCH_LEQ]: () => x <= t,
    [NodeMode.BRANCH_LT]: () => x < t,
    [NodeMode.BRANCH_GTE]: () => x >= t,
    [NodeMode.BRANCH_GT]: () => x > t,
    [NodeMode.BRANCH_EQ]: () => x === t,
    [NodeMode.BRANCH_NEQ]: () => x !== t,
    [NodeMode.BRANCH_MEMBER]: () => Array.from(e.members.subarray(e.memberStart[node] as number, e.memberEnd[node] as number)).includes(x),
  };
  const result = (tests[e.mode[node] as number] as () => boolean)();
  return Number.isNaN(x) && e.missingTrue[node] === 1 ? true : result;
}

function refFlatRaw(e: FlatEnsemble, x: ArrayLike<number>): number {
  let sum = e.base;
  for (const root of e.roots) {
    let node = root;
    while (e.mode[node] !== NodeMode.LEAF) node = refTrue(e, node, x[e.feature[node] as number] as number) ? (e.trueChild[node] as number) : (e.falseChild[node] as number);
    sum += e.leafValue[node] as number;
  }
  return sum;
}

function bruteForceInterventional(e: FlatEnsemble, background: number[][], x: ArrayLike<number>): { phi: Float64Array; base: number } {
  const n = e.numFeatures;
  const v = (mask: number): number => {
    let total = 0;
    for (const b of background) total += refFlatRaw(e, Array.from({ length: n }, (_, f) => (mask & (1 << f) ? (x[f] as number) : (b[f] as number))));
    return total / background.length;
  };
  return { phi: shapley(n, v), base: v(0) };
}

// ---------------------------------------------------------------------------------------------
// Random trees with ties, categorical sets, missing values and repeated features on a path.

const GRID = [-1, 0, 0.5, 1, 1.5, 2, 3];

function randomValue(rng: SeededRandom, categorical: boolean): number {
  const u = rng.next();
  if (u < 0.12) return Number.NaN;
  if (categorical) return rng.int(0, 5);
  return u < 0.6 ? (GRID[rng.int(0, GRID.length - 1)] as number) : f32(rng.uniform(-2, 4));
}

function randomRow(rng: SeededRandom, categorical: readonly boolean[]): number[] {
  return categorical.map((c) => randomValue(rng, c));
}

/** A random trained-style tree: covers consistent (children sum to the parent) or not, sometimes 0. */
function randomTree(rng: SeededRandom, categorical: readonly boolean[], maxDepth: number, coverStyle: 'consistent' | 'arbitrary'): GbdtTree {
  const nodes: Array<TreeNode & { left: number; right: number }> = [];
  const grow = (depth: number, cover: number): number => {
    const index = nodes.length;
    const leaf = depth >= maxDepth || (depth > 0 && rng.next() < 0.25);
    const value = f32(rng.normal(0, 1));
    if (leaf) {
      nodes.push({ isLeaf: true, feature: -1, threshold: Number.NaN, categories: null, defaultLeft: false, left: -1, right: -1, value, cover, hessian: cover, gain: 0 });
      return index;
    }
    const feature = rng.int(0, categorical.length - 1);
    const isCategorical = categorical[feature] as boolean;
    const categories = isCategorical ? [0, 1, 2, 3, 4, 5].filter(() => rng.next() < 0.4) : null;
    const threshold = isCategorical ? Number.NaN : rng.next() < 0.6 ? (GRID[rng.int(0, GRID.length - 1)] as number) : f32(rng.uniform(-2, 4));
    nodes.push({ isLeaf: false, feature, threshold, categories, defaultLeft: rng.next() < 0.5, left: -1, right: -1, value, cover, hessian: cover, gain: 1 });
    let leftCover: number;
    let rightCover: number;
    if (coverStyle === 'consistent') {
      leftCover = rng.next() < 0.05 ? 0 : Math.round(cover * rng.uniform(0.05, 0.95));
      rightCover = cover - leftCover;
    } else {
      leftCover = rng.next() < 0.05 ? 0 : rng.int(1, 100);
      rightCover = rng.next() < 0.05 ? 0 : rng.int(1, 100);
    }
    const node = nodes[index] as TreeNode & { left: number; right: number };
    node.left = grow(depth + 1, leftCover);
    node.right = grow(depth + 1, rightCover);
    return index;
  };
  grow(0, coverStyle === 'consistent' ? 1000 : rng.int(1, 100));
  return { nodes };
}

function modelOf(trees: GbdtTree[], categorical: readonly boolean[], baseScore: number): GbdtModel {
  const features: FeatureSpec[] = categorical.map((c, i) => ({ name: `f${i}`, type: c ? 'categorical' : 'numeric' }));
  return {
    features,
    params: DEFAULT_GBDT_PARAMS,
    baseScore,
    trees,
    bestIteration: trees.length,
    history: { metric: 'rmse', validation: [] },
    featureImportance: categorical.map(() => 0),
    trainingRows: 0,
    validationRows: 0,
    validationMetrics: null,
    referenceDistributions: [],
  };
}

/** A random flat ensemble using every ONNX mode, set membership and missing_value_tracks_true. */
function randomFlatEnsemble(rng: SeededRandom, numFeatures: number, treeCount: number, maxDepth: number): FlatEnsemble {
  const mode: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const missingTrue: number[] = [];
  const trueChild: number[] = [];
  const falseChild: number[] = [];
  const leafValue: number[] = [];
  const memberStart: number[] = [];
  const memberEnd: number[] = [];
  const members: number[] = [];
  const branchModes = [NodeMode.BRANCH_LEQ, NodeMode.BRANCH_LT, NodeMode.BRANCH_GTE, NodeMode.BRANCH_GT, NodeMode.BRANCH_EQ, NodeMode.BRANCH_NEQ, NodeMode.BRANCH_MEMBER];
  const grow = (depth: number): number => {
    const n = mode.length;
    mode.push(NodeMode.LEAF);
    feature.push(0);
    threshold.push(0);
    missingTrue.push(0);
    trueChild.push(0);
    falseChild.push(0);
    leafValue.push(f32(rng.normal(0, 1)));
    memberStart.push(members.length);
    memberEnd.push(members.length);
    if (depth >= maxDepth || (depth > 0 && rng.next() < 0.25)) return n;
    const m = branchModes[rng.int(0, branchModes.length - 1)] as number;
    mode[n] = m;
    feature[n] = rng.int(0, numFeatures - 1);
    threshold[n] = m === NodeMode.BRANCH_EQ || m === NodeMode.BRANCH_NEQ ? rng.int(0, 5) : (GRID[rng.int(0, GRID.length - 1)] as number);
    missingTrue[n] = rng.next() < 0.5 ? 1 : 0;
    if (m === NodeMode.BRANCH_MEMBER) {
      memberStart[n] = members.length;
      for (let code = 0; code <= 5; code++) if (rng.next() < 0.4) members.push(code);
      memberEnd[n] = members.length;
    }
    trueChild[n] = grow(depth + 1);
    falseChild[n] = grow(depth + 1);
    return n;
  };
  const roots: number[] = [];
  for (let t = 0; t < treeCount; t++) roots.push(grow(0));
  return {
    numFeatures,
    roots: Int32Array.from(roots),
    mode: Uint8Array.from(mode),
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    missingTrue: Uint8Array.from(missingTrue),
    trueChild: Int32Array.from(trueChild),
    falseChild: Int32Array.from(falseChild),
    leafValue: Float32Array.from(leafValue),
    memberStart: Int32Array.from(memberStart),
    memberEnd: Int32Array.from(memberEnd),
    members: Float32Array.from(members),
    base: f32(rng.normal(0, 1)),
    post: { registers: 1, instructions: [], output: 0 },
  };
}

function randomCategorical(rng: SeededRandom, n: number): boolean[] {
  return Array.from({ length: n }, () => rng.next() < 0.3);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = TOLERANCE): void {
  expect(actual.length).toBe(expected.length);
  const worst = Array.from(actual).reduce((max, value, i) => Math.max(max, Math.abs(value - (expected[i] as number))), 0);
  expect(worst).toBeLessThan(tolerance);
}

/** |base + Σφ − prediction|, relative to the size of the numbers summed (floating-point error grows with them). */
function additivityError(e: ShapExplanation): number {
  const scale = Math.max(1, Math.abs(e.baseValue), Math.abs(e.prediction), ...Array.from(e.values, Math.abs));
  return Math.abs(e.baseValue + e.values.reduce((sum, v) => sum + v, 0) - e.prediction) / scale;
}

// ---------------------------------------------------------------------------------------------

describe(PathDependentTreeShap.name, () => {
  it.each([
    ['one tree, consistent covers', 1, 'consistent' as const, 4],
    ['one deep tree, arbitrary covers', 1, 'arbitrary' as const, 6],
    ['an ensemble of 7 trees', 7, 'consistent' as const, 4],
    ['an ensemble of 5 trees, arbitrary covers', 5, 'arbitrary' as const, 5],
  ])('equals brute-force Shapley values of E[f | x_S] to 1e-9: %s', (_label, treeCount, coverStyle, maxDepth) => {
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new SeededRandom(seed * 7919 + treeCount);
      const numFeatures = rng.int(2, 7);
      const categorical = randomCategorical(rng, numFeatures);
      const trees = Array.from({ length: treeCount }, () => randomTree(rng, categorical, maxDepth, coverStyle));
      const baseScore = f32(rng.normal(0, 1));
      const explainer = new PathDependentTreeShap(trees, baseScore, numFeatures);
      for (let r = 0; r < 6; r++) {
        const x = randomRow(rng, categorical);
        const got = explainer.explain(x);
        const want = bruteForcePathDependent(trees, baseScore, numFeatures, x);
        expectClose(got.values, want.phi);
        expect(Math.abs(got.baseValue - want.base)).toBeLessThan(TOLERANCE);
        expect(additivityError(got)).toBeLessThan(TOLERANCE);
      }
    }
  });

  it('handles a feature split on several times along one path (the unwind step)', () => {
    // x0 ≤ 1 → (x0 ≤ 0 → (x1 ≤ 0 → …)) : feature 0 twice on the path, then again under feature 1.
    const leaf = (value: number, cover: number): TreeNode => ({ isLeaf: true, feature: -1, threshold: Number.NaN, categories: null, defaultLeft: false, left: -1, right: -1, value, cover, hessian: cover, gain: 0 });
    const split = (feature: number, threshold: number, left: number, right: number, cover: number): TreeNode => ({
      isLeaf: false,
      feature,
      threshold,
      categories: null,
      defaultLeft: true,
      left,
      right,
      value: 0,
      cover,
      hessian: cover,
      gain: 1,
    });
    const nodes: TreeNode[] = [
      split(0, 1, 1, 2, 100),
      split(0, 0, 3, 4, 60),
      leaf(5, 40),
      split(1, 0, 5, 6, 25),
      leaf(-2, 35),
      split(0, -1, 7, 8, 15),
      leaf(3, 10),
      leaf(-4, 5),
      leaf(1, 10),
    ];
    const explainer = new PathDependentTreeShap([{ nodes }], 0.25, 3);
    for (const x of [
      [-2, -1, 0],
      [0.5, 1, 0],
      [Number.NaN, -3, 7],
      [-0.5, Number.NaN, 1],
      [2, 0, 0],
    ]) {
      const got = explainer.explain(x);
      expectClose(got.values, bruteForcePathDependent([{ nodes }], 0.25, 3, x).phi);
      expect(got.values[2]).toBe(0);
    }
  });

  it('predicts exactly what the evaluator computes, so it explains the routed prediction', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new SeededRandom(seed);
      const categorical = randomCategorical(rng, 5);
      const tree = randomTree(rng, categorical, 6, 'consistent');
      const explainer = new PathDependentTreeShap([tree], 0, 5);
      const evaluator = TreeEnsembleEvaluator.fromModel(modelOf([tree], categorical, 0));
      for (let r = 0; r < 20; r++) {
        const x = randomRow(rng, categorical);
        // One tree and base 0: the evaluator's float32 sum is the leaf value itself.
        expect(explainer.explain(x).prediction).toBe(evaluator.evaluateRaw(Float32Array.from(x), 1)[0]);
      }
    }
  });

  it('explains a trained model read back from its ONNX (categorical splits, missing values) to 1e-9', () => {
    const data = syntheticDemand(3000, 11);
    for (let i = 0; i < data.features.length; i += 17) data.features[i] = Number.NaN;
    const model = trainGbdt(
      { features: data.features, rows: data.rows, target: data.units, time: data.day },
      { features: SYNTHETIC_FEATURES, params: { numTrees: 12, maxLeaves: 15, loss: 'poisson', minCategorySupport: 5 } },
    );
    const bytes = createModelArtifacts(model, { targetName: 'units', createdBy: 'spec', createdAt: '2024-06-01T00:00:00.000Z' }).onnx;
    const embedded = readEmbeddedTrees(bytes);
    expect(embedded).not.toBeNull();
    const trees = embedded?.trees ?? [];
    expect(trees.some((tree) => tree.nodes.some((node) => node.categories !== null))).toBe(true);
    const n = SYNTHETIC_FEATURES.length;
    const explainer = new PathDependentTreeShap(trees, embedded?.baseScore ?? 0, n);
    const onnx = loadTreeEnsemble(bytes);
    const rng = new SeededRandom(3);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(data.features.subarray((r * 97) * n, (r * 97 + 1) * n));
      row[rng.int(0, n - 1)] = Number.NaN;
      const got = explainer.explain(row);
      const want = bruteForcePathDependent(trees, embedded?.baseScore ?? 0, n, row);
      expectClose(got.values, want.phi);
      expect(additivityError(got)).toBeLessThan(TOLERANCE);
      // The ONNX graph sums the same leaves in float32.
      expect(Math.abs(got.prediction - (onnx.evaluateRaw(Float32Array.from(row), 1)[0] as number))).toBeLessThan(1e-5);
    }
  });

  it('properties: additive, linear over trees, zero for features no split reads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 6 }), (seed, treeCount) => {
        const rng = new SeededRandom(seed);
        const numFeatures = rng.int(2, 9);
        const categorical = randomCategorical(rng, numFeatures);
        // The last feature is never split on.
        const usable = categorical.slice(0, numFeatures - 1);
        const trees = Array.from({ length: treeCount }, () => randomTree(rng, usable, 5, rng.next() < 0.5 ? 'consistent' : 'arbitrary'));
        const explainer = new PathDependentTreeShap(trees, 0.5, numFeatures);
        const x = randomRow(rng, categorical);
        const whole = explainer.explain(x);
        expect(additivityError(whole)).toBeLessThan(RANDOM_TREE_TOLERANCE);
        expect(whole.values[numFeatures - 1]).toBe(0);
        const sum = new Float64Array(numFeatures);
        for (const tree of trees) new PathDependentTreeShap([tree], 0, numFeatures).explain(x).values.forEach((v, f) => (sum[f] = (sum[f] as number) + v));
        expectClose(whole.values, sum, 1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses trees that read a column outside the input', () => {
    const rng = new SeededRandom(1);
    const tree = randomTree(rng, [false, false, false], 3, 'consistent');
    expect(() => new PathDependentTreeShap([tree], 0, 1)).toThrow(/outside the 1 columns/);
  });
});

describe(InterventionalTreeShap.name, () => {
  it.each([
    ['one tree', 1, 4],
    ['an ensemble of 6 trees', 6, 4],
    ['an ensemble of 3 deep trees', 3, 7],
  ])('equals brute-force Shapley values of mean_b f(x_S, b_S̄) to 1e-9 on random ensembles with every ONNX mode: %s', (_label, treeCount, maxDepth) => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = new SeededRandom(seed * 104_729 + treeCount);
      const numFeatures = rng.int(2, 7);
      const categorical = randomCategorical(rng, numFeatures);
      const ensemble = randomFlatEnsemble(rng, numFeatures, treeCount, maxDepth);
      const background = Array.from({ length: rng.int(1, 8) }, () => randomRow(rng, categorical));
      const explainer = new InterventionalTreeShap(ensemble, background.flat(), background.length);
      for (let r = 0; r < 5; r++) {
        const x = randomRow(rng, categorical);
        const got = explainer.explain(x);
        const want = bruteForceInterventional(ensemble, background, x);
        expectClose(got.values, want.phi);
        expect(Math.abs(got.baseValue - want.base)).toBeLessThan(TOLERANCE);
        expect(additivityError(got)).toBeLessThan(TOLERANCE);
      }
    }
  });

  it('routes exactly like the evaluator (its prediction is the evaluator’s for one tree)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new SeededRandom(seed);
      const ensemble = { ...randomFlatEnsemble(rng, 5, 1, 6), base: 0 };
      const explainer = new InterventionalTreeShap(ensemble, [0, 0, 0, 0, 0], 1);
      const evaluator = new TreeEnsembleEvaluator(ensemble);
      for (let r = 0; r < 20; r++) {
        const x = randomRow(rng, randomCategorical(rng, 5));
        expect(explainer.explain(x).prediction).toBe(evaluator.evaluateRaw(Float32Array.from(x), 1)[0]);
      }
    }
  });

  it('explains a model loaded from ONNX without covers (BRANCH_EQ chains sharing a child) to 1e-9', () => {
    const data = syntheticDemand(2000, 5);
    const model = trainGbdt(
      { features: data.features, rows: data.rows, target: data.units, time: data.day },
      { features: SYNTHETIC_FEATURES, params: { numTrees: 8, maxLeaves: 8, minCategorySupport: 5 } },
    );
    const ensemble = loadTreeEnsemble(exportOnnx(model)).ensemble;
    expect(Array.from(ensemble.mode)).toContain(NodeMode.BRANCH_EQ);
    const n = SYNTHETIC_FEATURES.length;
    const background = Array.from({ length: 6 }, (_, i) => Array.from(data.features.subarray(i * 31 * n, (i * 31 + 1) * n)));
    const explainer = new InterventionalTreeShap(ensemble, background.flat(), background.length);
    const x = Array.from(data.features.subarray(500 * n, 501 * n));
    x[2] = Number.NaN;
    const got = explainer.explain(x);
    expectClose(got.values, bruteForceInterventional(ensemble, background, x).phi);
    expect(additivityError(got)).toBeLessThan(TOLERANCE);
  });

  it('properties: additive; nothing to explain against the row itself; antisymmetric in x and one background row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rng = new SeededRandom(seed);
        const numFeatures = rng.int(2, 8);
        const categorical = randomCategorical(rng, numFeatures);
        const ensemble = randomFlatEnsemble(rng, numFeatures, rng.int(1, 5), 5);
        const x = randomRow(rng, categorical);
        const b = randomRow(rng, categorical);
        const forward = new InterventionalTreeShap(ensemble, b, 1).explain(x);
        const backward = new InterventionalTreeShap(ensemble, x, 1).explain(b);
        expect(additivityError(forward)).toBeLessThan(TOLERANCE);
        expectClose(forward.values, backward.values.map((v) => -v), 1e-12);
        expect(new InterventionalTreeShap(ensemble, x, 1).explain(x).values.every((v) => v === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe(ModelShapExplainer.name, () => {
  const data = syntheticDemand(2000, 21);
  const model = trainGbdt(
    { features: data.features, rows: data.rows, target: data.units, time: data.day },
    { features: SYNTHETIC_FEATURES, params: { numTrees: 10, maxLeaves: 12, loss: 'poisson', minCategorySupport: 5 } },
  );
  const n = SYNTHETIC_FEATURES.length;
  const withCovers = createModelArtifacts(model, { targetName: 'units', createdBy: 'spec', createdAt: '2024-06-01T00:00:00.000Z' }).onnx;
  const withoutCovers = exportOnnx(model);
  const row = Array.from(data.features.subarray(7 * n, 8 * n));

  it('uses path-dependent TreeSHAP on the covers the trainer embeds, and reports raw score and units', () => {
    expect(ModelShapExplainer.hasCovers(withCovers)).toBe(true);
    const explainer = ModelShapExplainer.create(withCovers);
    expect(explainer.method).toBe('path-dependent');
    const got = explainer.explain(row);
    expect(additivityError(got)).toBeLessThan(TOLERANCE);
    expect(Math.abs(got.prediction - got.modelRaw)).toBeLessThan(1e-5);
    // Poisson: units = exp(raw score).
    expect(got.units).toBeCloseTo(Math.exp(got.modelRaw), 5);
  });

  it('falls back to interventional TreeSHAP without covers, and needs a background for it', () => {
    expect(ModelShapExplainer.hasCovers(withoutCovers)).toBe(false);
    expect(() => ModelShapExplainer.create(withoutCovers)).toThrow(/needs background rows/);
    const background = data.features.subarray(0, 20 * n);
    const explainer = ModelShapExplainer.create(withoutCovers, { rows: background, count: 20 });
    expect(explainer.method).toBe('interventional');
    expect(explainer.backgroundRows).toBe(20);
    expect(additivityError(explainer.explain(row))).toBeLessThan(TOLERANCE);
  });

  it('does not trust embedded trees that disagree with the graph', () => {
    const other = trainGbdt(
      { features: data.features, rows: data.rows, target: data.units, time: data.day },
      { features: SYNTHETIC_FEATURES, params: { numTrees: 10, maxLeaves: 12, loss: 'poisson', minCategorySupport: 5, seed: 9, rowSubsample: 0.5 } },
    );
    // The graph of `other` with the trees (and covers) of `model` in its metadata.
    const foreign = exportOnnx(other, { metadata: { [TREES_METADATA_KEY]: treesToJson(model) } });
    expect(ModelShapExplainer.hasCovers(foreign)).toBe(false);
    expect(ModelShapExplainer.create(foreign, { rows: data.features.subarray(0, 5 * n), count: 5 }).coverNote).toBe('embedded trees disagree with the graph');
  });

  it('refuses a row of the wrong width', () => {
    expect(() => ModelShapExplainer.create(withCovers).explain(row.slice(1))).toThrow(/reads 12 features/);
  });
});
