import { DomainError, SeededRandom } from '@dynaprice/kernel';
import fc from 'fast-check';
import { TreeEnsembleEvaluator } from './evaluator';
import { regressionMetrics } from './metrics';
import { exportOnnx } from './onnx-export';
import { syntheticDemand, SYNTHETIC_FEATURES } from './synthetic';
import { rawToUnits, trainGbdt, type TrainingData } from './train';
import type { FeatureSpec, GbdtModel, TreeNode } from './types';

const numeric = (name: string): FeatureSpec => ({ name, type: 'numeric' });

function evaluate(model: GbdtModel, features: Float32Array, rows: number): Float32Array {
  return TreeEnsembleEvaluator.fromModel(model).evaluate(features, rows);
}

/** y = sin(x0) + 2·[x1 > 0] + noise, two numeric features. */
function nonlinear(rows: number, seed: number): TrainingData {
  const rng = new SeededRandom(seed);
  const features = new Float32Array(rows * 2);
  const target = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    features[r * 2] = rng.uniform(-3, 3);
    features[r * 2 + 1] = rng.normal();
    target[r] = Math.sin(features[r * 2] as number) + ((features[r * 2 + 1] as number) > 0 ? 2 : 0) + rng.normal(0, 0.1);
  }
  return { features, rows, target };
}

describe(trainGbdt.name, () => {
  it('fits a non-linear function far better than the mean', () => {
    const train = nonlinear(5000, 1);
    const test = nonlinear(2000, 2);
    const model = trainGbdt(train, { features: [numeric('x0'), numeric('x1')], params: { numTrees: 100, learningRate: 0.1 } });
    const metrics = regressionMetrics(test.target, evaluate(model, test.features, test.rows));
    expect(metrics.rmse).toBeLessThan(0.2);
    expect(model.trees).toHaveLength(100);
  });

  it('produces byte-identical ONNX for the same seed, with row and feature sampling', () => {
    const data = syntheticDemand(4000, 7);
    const options = {
      features: SYNTHETIC_FEATURES,
      params: { numTrees: 30, rowSubsample: 0.7, featureSubsample: 0.6, seed: 42, targetTransform: 'log1p' as const },
    };
    const first = exportOnnx(trainGbdt({ features: data.features, rows: data.rows, target: data.units }, options));
    const second = exportOnnx(trainGbdt({ features: data.features, rows: data.rows, target: data.units }, options));
    const otherSeed = exportOnnx(
      trainGbdt({ features: data.features, rows: data.rows, target: data.units }, { ...options, params: { ...options.params, seed: 43 } }),
    );
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(otherSeed).equals(Buffer.from(first))).toBe(false);
  });

  it('stops early when the time-ordered validation metric stops improving, keeping the best round', () => {
    // Pure noise: boosting past the first rounds only fits noise, so validation stops improving.
    const rng = new SeededRandom(3);
    const rows = 3000;
    const features = Float32Array.from({ length: rows * 2 }, () => rng.normal());
    const target = Float64Array.from({ length: rows }, () => rng.normal());
    const model = trainGbdt(
      { features, rows, target },
      { features: [numeric('a'), numeric('b')], params: { numTrees: 300, learningRate: 0.3, validationFraction: 0.25, earlyStoppingRounds: 5 } },
    );
    const history = model.history.validation;
    expect(history.length).toBeLessThan(300);
    expect(history.length).toBe(model.bestIteration + 5);
    expect(model.trees).toHaveLength(model.bestIteration);
    expect(Math.min(...history)).toBe(history[model.bestIteration - 1]);
    expect(model.validationRows).toBe(750);
    expect(model.trainingRows).toBe(2250);
  });

  it('takes the validation split from the latest times, never splitting one time between the sides', () => {
    const rows = 1000;
    const rng = new SeededRandom(5);
    const time = Float64Array.from({ length: rows }, (_, i) => (i * 37) % 10);
    const features = Float32Array.from({ length: rows }, () => rng.normal());
    const target = Float64Array.from(time, (t) => t + rng.normal(0, 0.1));
    const model = trainGbdt({ features, rows, target, time }, { features: [numeric('x')], params: { numTrees: 5, validationFraction: 0.25 } });
    // Times 8 and 9 (200 rows) form the latest 20 %; the cut moves back to a whole time: 7, 8, 9.
    expect(model.validationRows).toBe(300);
  });

  it('refuses a protected attribute as a feature', () => {
    const data = nonlinear(200, 1);
    const call = (): GbdtModel => trainGbdt(data, { features: [numeric('price'), numeric('Customer Segment')], params: { numTrees: 2 } });
    expect(call).toThrow(DomainError);
    expect(call).toThrow(/protected attribute "Customer Segment"/);
    expect(() => trainGbdt(data, { features: [numeric('price'), numeric('age')], protectedAttributes: ['store_id'], params: { numTrees: 2 } })).not.toThrow();
  });

  it('rejects invalid parameters and malformed data with a validation error', () => {
    const data = nonlinear(100, 1);
    const features = [numeric('a'), numeric('b')];
    expect(() => trainGbdt(data, { features, params: { maxBins: 256 } })).toThrow(/maxBins/);
    expect(() => trainGbdt(data, { features, params: { loss: 'poisson', targetTransform: 'log1p' } })).toThrow(/log1p/);
    expect(() => trainGbdt(data, { features: [numeric('a')] })).toThrow(/features/);
    expect(() => trainGbdt({ ...data, target: Float64Array.from(data.target, (y) => y - 10) }, { features, params: { loss: 'poisson' } })).toThrow(/≥ 0/);
    expect(() => trainGbdt(data, { features: [numeric('a'), { name: 'b', type: 'categorical', monotone: -1 }] })).toThrow(/categorical/);
  });

  it('records covers: the root covers every training row and each split node covers its children', () => {
    const data = nonlinear(3000, 4);
    const model = trainGbdt(data, { features: [numeric('x0'), numeric('x1')], params: { numTrees: 5, loss: 'squared' } });
    for (const tree of model.trees) {
      const nodes = tree.nodes;
      expect((nodes[0] as TreeNode).cover).toBe(3000);
      for (const node of nodes) {
        if (node.isLeaf) continue;
        const left = nodes[node.left] as TreeNode;
        const right = nodes[node.right] as TreeNode;
        expect(left.cover + right.cover).toBe(node.cover);
        expect(left.hessian + right.hessian).toBeCloseTo(node.hessian, 6);
        expect(left.cover).toBeGreaterThanOrEqual(20);
      }
    }
  });

  it('ranks the informative feature first by gain importance', () => {
    const rng = new SeededRandom(9);
    const rows = 3000;
    const features = Float32Array.from({ length: rows * 3 }, () => rng.normal());
    const target = Float64Array.from({ length: rows }, (_, r) => 3 * (features[r * 3 + 1] as number) + rng.normal(0, 0.1));
    const model = trainGbdt({ features, rows, target }, { features: [numeric('noise1'), numeric('signal'), numeric('noise2')], params: { numTrees: 20 } });
    const [noise1, signal, noise2] = model.featureImportance as [number, number, number];
    expect(signal).toBeGreaterThan(10 * (noise1 + noise2));
  });

  it('grows at most maxLeaves leaves per tree and no leaf deeper than maxDepth', () => {
    const data = nonlinear(4000, 6);
    const model = trainGbdt(data, { features: [numeric('x0'), numeric('x1')], params: { numTrees: 5, maxLeaves: 64, maxDepth: 3, minDataInLeaf: 1 } });
    for (const tree of model.trees) {
      expect(tree.nodes.filter((n) => n.isLeaf).length).toBeLessThanOrEqual(8);
      const depth = (n: number): number => {
        const node = tree.nodes[n] as TreeNode;
        return node.isLeaf ? 0 : 1 + Math.max(depth(node.left), depth(node.right));
      };
      expect(depth(0)).toBeLessThanOrEqual(3);
    }
  });
});

describe('monotone constraints', () => {
  /**
   * Demand that rises with price between 1.0 and 1.2 (a confounded promotion pattern), so an
   * unconstrained fit is not monotone in price.
   */
  function confounded(rows: number): TrainingData {
    const rng = new SeededRandom(11);
    const features = new Float32Array(rows * 3);
    const target = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const price = rng.uniform(0.5, 1.5);
      const other = rng.normal();
      const category = rng.int(0, 4);
      features.set([price, other, category], r * 3);
      const bump = price > 1 && price < 1.2 ? 4 : 0;
      target[r] = Math.max(0, 10 - 4 * price + bump + other + category + rng.normal(0, 0.5));
    }
    return { features, rows, target };
  }
  const specs = (monotone: -1 | 0): FeatureSpec[] => [
    { name: 'price', type: 'numeric', monotone },
    numeric('other'),
    { name: 'category', type: 'categorical' },
  ];
  const data = confounded(6000);
  const params = { numTrees: 60, learningRate: 0.2, maxLeaves: 15 };
  const constrained = TreeEnsembleEvaluator.fromModel(trainGbdt(data, { features: specs(-1), params }));
  const free = TreeEnsembleEvaluator.fromModel(trainGbdt(data, { features: specs(0), params }));
  const row = fc.tuple(fc.float({ min: Math.fround(0.4), max: Math.fround(1.6), noNaN: true }), fc.float({ min: -3, max: 3, noNaN: true }), fc.integer({ min: 0, max: 5 }));

  it('lets the unconstrained fit raise demand with price on this data (the constraint matters)', () => {
    const at = (price: number): number => free.evaluate(Float32Array.from([price, 0, 2]), 1)[0] as number;
    expect(at(1.1)).toBeGreaterThan(at(0.95) + 1);
  });

  it('still learns that demand falls with price under the constraint', () => {
    const at = (price: number): number => constrained.evaluate(Float32Array.from([price, 0, 2]), 1)[0] as number;
    expect(at(0.55)).toBeGreaterThan(at(1.45) + 2);
  });

  it('never predicts more demand at a higher price, for any row', () => {
    fc.assert(
      fc.property(row, fc.float({ min: 0, max: Math.fround(1.2), noNaN: true }), ([price, other, category], step) => {
        const rows = Float32Array.from([price, other, category, price + step, other, category]);
        const [low, high] = constrained.evaluate(rows, 2) as unknown as [number, number];
        return high <= low;
      }),
      { numRuns: 2000, seed: 20240601 },
    );
  });

  it('keeps demand non-increasing along a fine price grid for random rows', () => {
    fc.assert(
      fc.property(row, ([, other, category]) => {
        const grid = new Float32Array(3 * 121);
        for (let i = 0; i <= 120; i++) grid.set([0.4 + i * 0.01, other, category], i * 3);
        const predictions = constrained.evaluate(grid, 121);
        return predictions.every((p, i) => i === 0 || p <= (predictions[i - 1] as number));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('losses and target transforms', () => {
  const data = syntheticDemand(6000, 3);
  const training = { features: data.features, rows: data.rows, target: data.units };

  it('Poisson: predictions are exp of the raw score and average out to the mean demand', () => {
    const model = trainGbdt(training, { features: SYNTHETIC_FEATURES, params: { loss: 'poisson', numTrees: 60 } });
    const evaluator = TreeEnsembleEvaluator.fromModel(model);
    const raw = evaluator.evaluateRaw(data.features, data.rows);
    const units = evaluator.evaluate(data.features, data.rows);
    for (let i = 0; i < 200; i++) expect(units[i]).toBeCloseTo(rawToUnits(raw[i] as number, model.params), 4);
    const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(units) / mean(data.units)).toBeGreaterThan(0.97);
    expect(mean(units) / mean(data.units)).toBeLessThan(1.03);
    expect(Math.min(...units)).toBeGreaterThan(0);
    expect(model.history.metric).toBe('poisson_deviance');
  });

  it('log1p: trains on log1p(units) and predicts expm1 of the score, never below 0', () => {
    const model = trainGbdt(training, { features: SYNTHETIC_FEATURES, params: { targetTransform: 'log1p', numTrees: 60 } });
    expect(model.baseScore).toBeCloseTo(Math.fround(data.units.reduce((s, u) => s + Math.log1p(u), 0) / data.rows), 5);
    const evaluator = TreeEnsembleEvaluator.fromModel(model);
    const raw = evaluator.evaluateRaw(data.features, data.rows);
    const units = evaluator.evaluate(data.features, data.rows);
    for (let i = 0; i < data.rows; i++) {
      const expected = Math.max(Math.expm1(raw[i] as number), 0);
      expect(Math.abs((units[i] as number) - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, expected));
    }
  });

  it('log1p: the units transform matches expm1 to float32 precision across its range', () => {
    const model = trainGbdt(training, { features: SYNTHETIC_FEATURES, params: { targetTransform: 'log1p', numTrees: 2 } });
    const base = TreeEnsembleEvaluator.fromModel(model).ensemble;
    for (const score of [-5, -1e-3, 0, 1e-7, 1e-4, 0.01, 0.1249, 0.125, 0.2, 1, 3, 8]) {
      const evaluator = new TreeEnsembleEvaluator({ ...base, roots: new Int32Array(0), base: Math.fround(score) });
      const value = evaluator.evaluate(new Float32Array(base.numFeatures), 1)[0] as number;
      const expected = Math.max(Math.expm1(Math.fround(score)), 0);
      expect(Math.abs(value - expected)).toBeLessThanOrEqual(4e-7 * expected);
    }
  });
});

describe('categorical features and missing values', () => {
  it('learns a set split: the categories with high demand go together, unseen codes follow the rest', () => {
    const rng = new SeededRandom(21);
    const rows = 6000;
    const features = new Float32Array(rows * 2);
    const target = new Float64Array(rows);
    const high = new Set([3, 17, 42, 99]);
    for (let r = 0; r < rows; r++) {
      const code = [3, 5, 8, 17, 23, 42, 77, 99][rng.int(0, 7)] as number;
      features[r * 2] = code;
      features[r * 2 + 1] = rng.normal();
      target[r] = (high.has(code) ? 10 : 2) + rng.normal(0, 0.2);
    }
    const model = trainGbdt({ features, rows, target }, { features: [{ name: 'segment_code', type: 'categorical' }, numeric('noise')], params: { numTrees: 30, learningRate: 0.3 } });
    const root = model.trees[0]?.nodes[0] as TreeNode;
    expect(root.feature).toBe(0);
    const left = [...(root.categories ?? [])].sort((a, b) => a - b);
    expect([
      [3, 17, 42, 99],
      [5, 8, 23, 77],
    ]).toContainEqual(left);
    const predict = (code: number): number => TreeEnsembleEvaluator.fromModel(model).evaluate(Float32Array.from([code, 0]), 1)[0] as number;
    expect(predict(42)).toBeCloseTo(10, 0);
    expect(predict(8)).toBeCloseTo(2, 0);
    // Codes never seen in training take the right branch at every split, like LightGBM.
    const unseen = [1000, -1, 3.5].map(predict);
    for (const value of unseen) expect(value).toBe(unseen[0]);
  });

  it('gives missing values a bin of their own and learns where they go', () => {
    const rng = new SeededRandom(22);
    const rows = 6000;
    const features = new Float32Array(rows);
    const target = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const missing = rng.next() < 0.2;
      const x = rng.uniform(0, 10);
      features[r] = missing ? Number.NaN : x;
      // Missing rows behave like high x.
      target[r] = missing ? 9 : x < 5 ? 1 : 9;
    }
    const model = trainGbdt({ features, rows, target }, { features: [numeric('x')], params: { numTrees: 30, learningRate: 0.3 } });
    const predictions = TreeEnsembleEvaluator.fromModel(model).evaluate(Float32Array.from([Number.NaN, 1, 8]), 3);
    expect(predictions[0]).toBeCloseTo(9, 1);
    expect(predictions[1]).toBeCloseTo(1, 1);
    expect(predictions[2]).toBeCloseTo(9, 1);
    expect(model.referenceDistributions[0]?.missing).toBeCloseTo(0.2, 1);
  });

  it('refuses categorical values that are not integer codes', () => {
    const features = Float32Array.from([1, 2.5, 3, 1]);
    expect(() => trainGbdt({ features, rows: 4, target: [1, 2, 3, 4] }, { features: [{ name: 'c', type: 'categorical' }], params: { numTrees: 1 } })).toThrow(
      /not an integer code/,
    );
  });
});

describe('log1p units transform', () => {
  it('never decreases as the raw score grows, across the polynomial / Exp switch', () => {
    const data = syntheticDemand(500, 1);
    const model = trainGbdt({ features: data.features, rows: data.rows, target: data.units }, { features: SYNTHETIC_FEATURES, params: { targetTransform: 'log1p', numTrees: 1 } });
    const ensemble = TreeEnsembleEvaluator.fromModel(model).ensemble;
    const at = (score: number): number => new TreeEnsembleEvaluator({ ...ensemble, roots: new Int32Array(0), base: score }).evaluate(new Float32Array(12), 1)[0] as number;
    // Every float32 from 0.1249 to 0.1251, and a coarse sweep from -1 to 5.
    const scores: number[] = [];
    const view = new Float32Array(1);
    const bits = new Uint32Array(view.buffer);
    view[0] = 0.1249;
    while ((view[0] as number) <= 0.1251) {
      scores.push(view[0] as number);
      bits[0] = (bits[0] as number) + 1;
    }
    for (let s = -1; s <= 5; s += 0.001) scores.push(Math.fround(s));
    scores.sort((a, b) => a - b);
    let previous = -Infinity;
    for (const score of scores) {
      const units = at(score);
      expect(units >= previous ? 'non-decreasing' : `drops at score ${score}: ${units} < ${previous}`).toBe('non-decreasing');
      previous = units;
    }
  });
});
