import { DomainError, SeededRandom } from '@dynaprice/kernel';
import { BinMapper } from './binning';
import { regressionMetrics } from './metrics';
import { assertNoProtectedAttributes } from './protected-attributes';
import { addBinnedTree, TreeGrower } from './tree-grower';
import { DEFAULT_GBDT_PARAMS, type FeatureSpec, type GbdtModel, type GbdtParams, type GbdtTree, type TreeNode } from './types';

/** Rows to learn from: a row-major float32 matrix (`rows` × features) and one target per row. */
export interface TrainingData {
  readonly features: Float32Array;
  readonly rows: number;
  /** In target units (the trainer applies the target transform itself). */
  readonly target: ArrayLike<number>;
  /** Time key of each row (e.g. days since the epoch): the validation split takes the latest rows. */
  readonly time?: ArrayLike<number>;
}

export interface TrainProgress {
  /** Boosting rounds done / planned. */
  readonly iteration: number;
  readonly total: number;
  /** Validation metric after this round (NaN without validation). */
  readonly validationMetric: number;
}

export interface TrainOptions {
  readonly features: readonly FeatureSpec[];
  readonly params?: Partial<GbdtParams>;
  /** Explicit validation rows (e.g. the latest weeks); otherwise `params.validationFraction` applies. */
  readonly validation?: TrainingData;
  /** Names refused as features (default DEFAULT_PROTECTED_ATTRIBUTES). */
  readonly protectedAttributes?: readonly string[];
  /** Called after every boosting round (synchronously). */
  readonly onProgress?: (progress: TrainProgress) => void;
}

/**
 * Trains a histogram gradient-boosted regression ensemble (see GbdtParams for the growth policy).
 * Deterministic: the same data, options and seed give the same model, bit for bit.
 */
export function trainGbdt(data: TrainingData, options: TrainOptions): GbdtModel {
  const params = resolveParams(options.params ?? {});
  const specs = validateFeatures(options.features);
  assertNoProtectedAttributes(
    specs.map((s) => s.name),
    options.protectedAttributes,
  );
  const numFeatures = specs.length;
  validateData(data, numFeatures, 'data');
  if (options.validation) validateData(options.validation, numFeatures, 'validation');

  let train = data;
  let valid: TrainingData | null = options.validation ?? null;
  if (!valid && params.validationFraction > 0) ({ train, valid } = splitByTime(data, numFeatures, params.validationFraction));

  const trainTarget = transformTarget(train.target, params, 'target');
  const validTarget = valid ? transformTarget(valid.target, params, 'validation.target') : null;
  const names = specs.map((s) => s.name);

  const { mapper, reference } = BinMapper.fit(train.features, train.rows, specs, params.maxBins, params.binSampleSize, params.seed);
  const bins = mapper.transform(train.features, train.rows, names);
  const validBins = valid ? mapper.transform(valid.features, valid.rows, names) : null;
  const monotone = Int8Array.from(specs, (s) => s.monotone ?? 0);

  const n = train.rows;
  const baseScore = Math.fround(initialScore(trainTarget, params));
  const pred = new Float64Array(n).fill(baseScore);
  const validPred = valid ? new Float64Array(valid.rows).fill(baseScore) : null;
  let bestValidPred = validPred ? validPred.slice() : null;

  const grower = new TreeGrower(bins, n, mapper.features, monotone, params);
  const { grad, hess } = grower;
  const rng = new SeededRandom(params.seed);
  const trees: GbdtTree[] = [];
  const history: number[] = [];
  let bestMetric = Infinity;
  let bestIteration = 0;
  const allFeatures = Int32Array.from(specs, (_, i) => i);
  const deltaFactor = Math.exp(params.poissonMaxDeltaStep);

  for (let iteration = 0; iteration < params.numTrees; iteration++) {
    // Gradients of the loss at the current raw scores.
    if (params.loss === 'poisson') {
      for (let i = 0; i < n; i++) {
        const mu = Math.exp(pred[i] as number);
        grad[i] = mu - (trainTarget[i] as number);
        hess[i] = mu * deltaFactor;
      }
    } else {
      for (let i = 0; i < n; i++) grad[i] = (pred[i] as number) - (trainTarget[i] as number);
    }

    // Row bagging and feature sampling for this tree.
    const idx = grower.rowIndex;
    let bagCount = n;
    const bagged = params.rowSubsample < 1;
    if (bagged) {
      bagCount = 0;
      for (let r = 0; r < n; r++) if (rng.next() < params.rowSubsample) idx[bagCount++] = r;
      if (bagCount === 0) idx[bagCount++] = rng.int(0, n - 1);
    } else {
      for (let r = 0; r < n; r++) idx[r] = r;
    }
    const features = params.featureSubsample < 1 ? sampleFeatures(numFeatures, params.featureSubsample, rng) : allFeatures;

    const tree = grower.grow(params.loss === 'poisson' ? 0 : 1, bagCount, !bagged, features);
    trees.push({ nodes: tree.nodes });

    // Update raw scores: in-bag rows through the leaf ranges, everything else by routing.
    if (bagged) {
      addBinnedTree(tree.routing, bins, n, pred);
    } else {
      const ranges = tree.leafRanges;
      for (let k = 0; k < ranges.length; k += 3) {
        const value = (tree.nodes[ranges[k] as number] as TreeNode).value;
        for (let i = ranges[k + 1] as number; i < (ranges[k + 2] as number); i++) {
          const r = idx[i] as number;
          pred[r] = (pred[r] as number) + value;
        }
      }
    }

    let metric = Number.NaN;
    if (valid && validBins && validPred && validTarget) {
      addBinnedTree(tree.routing, validBins, valid.rows, validPred);
      metric = validationMetric(validTarget, validPred, params);
      history.push(metric);
      if (metric < bestMetric) {
        bestMetric = metric;
        bestIteration = iteration + 1;
        bestValidPred = validPred.slice();
      }
    } else {
      bestIteration = iteration + 1;
    }
    options.onProgress?.({ iteration: iteration + 1, total: params.numTrees, validationMetric: metric });
    if (valid && params.earlyStoppingRounds > 0 && iteration + 1 - bestIteration >= params.earlyStoppingRounds) break;
  }

  const kept = trees.slice(0, bestIteration);
  const importance = new Array<number>(numFeatures).fill(0);
  for (const tree of kept) {
    for (const node of tree.nodes) if (!node.isLeaf) importance[node.feature] = (importance[node.feature] as number) + node.gain;
  }
  let validationMetrics = null;
  if (valid && bestValidPred) {
    const units = new Float64Array(valid.rows);
    for (let i = 0; i < valid.rows; i++) units[i] = rawToUnits(bestValidPred[i] as number, params);
    validationMetrics = regressionMetrics(valid.target, units);
  }
  return {
    features: specs,
    params,
    baseScore,
    trees: kept,
    bestIteration,
    history: { metric: params.loss === 'poisson' ? 'poisson_deviance' : 'rmse', validation: history },
    featureImportance: importance,
    trainingRows: train.rows,
    validationRows: valid ? valid.rows : 0,
    validationMetrics,
    referenceDistributions: reference,
  };
}

/** Target units from a raw score (double precision): the inverse link and target transform. */
export function rawToUnits(raw: number, params: Pick<GbdtParams, 'loss' | 'targetTransform'>): number {
  if (params.loss === 'poisson') return Math.exp(raw);
  if (params.targetTransform === 'log1p') return Math.max(Math.expm1(raw), 0);
  return raw;
}

function resolveParams(overrides: Partial<GbdtParams>): GbdtParams {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (p as unknown as Record<string, unknown>)[key] = value;
  }
  const check = (ok: boolean, field: keyof GbdtParams, message: string): void => {
    if (!ok) throw DomainError.validation(`params.${field}`, message);
  };
  const isInt = (v: number): boolean => Number.isInteger(v);
  check(p.loss === 'squared' || p.loss === 'poisson', 'loss', 'must be squared or poisson');
  check(p.targetTransform === 'none' || p.targetTransform === 'log1p', 'targetTransform', 'must be none or log1p');
  check(!(p.loss === 'poisson' && p.targetTransform === 'log1p'), 'targetTransform', 'log1p cannot be combined with the poisson loss (it already has a log link)');
  check(isInt(p.numTrees) && p.numTrees >= 1, 'numTrees', 'must be an integer ≥ 1');
  check(p.learningRate > 0 && p.learningRate <= 1, 'learningRate', 'must be in (0, 1]');
  check(isInt(p.maxDepth) && p.maxDepth >= 0, 'maxDepth', 'must be an integer ≥ 0 (0 = no limit)');
  check(isInt(p.maxLeaves) && p.maxLeaves >= 2 && p.maxLeaves <= 4096, 'maxLeaves', 'must be an integer in [2, 4096]');
  check(isInt(p.minDataInLeaf) && p.minDataInLeaf >= 1, 'minDataInLeaf', 'must be an integer ≥ 1');
  check(p.minHessianInLeaf >= 0, 'minHessianInLeaf', 'must be ≥ 0');
  check(p.lambdaL2 >= 0, 'lambdaL2', 'must be ≥ 0');
  check(p.minGainToSplit >= 0, 'minGainToSplit', 'must be ≥ 0');
  check(isInt(p.maxBins) && p.maxBins >= 2 && p.maxBins <= 255, 'maxBins', 'must be an integer in [2, 255]');
  check(isInt(p.binSampleSize) && p.binSampleSize >= 1, 'binSampleSize', 'must be an integer ≥ 1');
  check(p.rowSubsample > 0 && p.rowSubsample <= 1, 'rowSubsample', 'must be in (0, 1]');
  check(p.featureSubsample > 0 && p.featureSubsample <= 1, 'featureSubsample', 'must be in (0, 1]');
  check(isInt(p.seed), 'seed', 'must be an integer');
  check(isInt(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, 'earlyStoppingRounds', 'must be an integer ≥ 0');
  check(p.validationFraction >= 0 && p.validationFraction < 1, 'validationFraction', 'must be in [0, 1)');
  check(p.categoricalSmoothing >= 0, 'categoricalSmoothing', 'must be ≥ 0');
  check(p.minCategorySupport >= 0, 'minCategorySupport', 'must be ≥ 0');
  check(isInt(p.maxCategoriesPerSplit) && p.maxCategoriesPerSplit >= 1, 'maxCategoriesPerSplit', 'must be an integer ≥ 1');
  check(p.poissonMaxDeltaStep >= 0, 'poissonMaxDeltaStep', 'must be ≥ 0');
  return p;
}

function validateFeatures(features: readonly FeatureSpec[]): FeatureSpec[] {
  if (features.length === 0) throw DomainError.validation('features', 'at least one feature is needed');
  const seen = new Set<string>();
  return features.map((f, i) => {
    if (!f.name) throw DomainError.validation(`features[${i}].name`, 'must not be empty');
    if (seen.has(f.name)) throw DomainError.validation(`features[${i}].name`, `duplicate feature ${JSON.stringify(f.name)}`);
    seen.add(f.name);
    if (f.type !== 'numeric' && f.type !== 'categorical') throw DomainError.validation(`features.${f.name}`, 'type must be numeric or categorical');
    const monotone = f.monotone ?? 0;
    if (monotone !== 0 && monotone !== 1 && monotone !== -1) throw DomainError.validation(`features.${f.name}`, 'monotone must be -1, 0 or 1');
    if (monotone !== 0 && f.type === 'categorical') throw DomainError.validation(`features.${f.name}`, 'a categorical feature cannot be monotone');
    return { name: f.name, type: f.type, monotone };
  });
}

function validateData(data: TrainingData, numFeatures: number, field: string): void {
  if (!Number.isInteger(data.rows) || data.rows < 1) throw DomainError.validation(`${field}.rows`, 'at least one row is needed');
  if (data.features.length !== data.rows * numFeatures) {
    throw DomainError.validation(`${field}.features`, `expected ${data.rows} × ${numFeatures} values, got ${data.features.length}`);
  }
  if (data.target.length !== data.rows) throw DomainError.validation(`${field}.target`, `expected ${data.rows} values, got ${data.target.length}`);
  if (data.time && data.time.length !== data.rows) throw DomainError.validation(`${field}.time`, `expected ${data.rows} values, got ${data.time.length}`);
}

function transformTarget(target: ArrayLike<number>, p: GbdtParams, field: string): Float64Array {
  const out = new Float64Array(target.length);
  for (let i = 0; i < target.length; i++) {
    const y = target[i] as number;
    if (!Number.isFinite(y)) throw DomainError.validation(field, `row ${i}: ${y} is not a finite number`);
    if (p.loss === 'poisson' && y < 0) throw DomainError.validation(field, `row ${i}: the poisson loss needs targets ≥ 0, got ${y}`);
    if (p.targetTransform === 'log1p' && y <= -1) throw DomainError.validation(field, `row ${i}: log1p needs targets > -1, got ${y}`);
    out[i] = p.targetTransform === 'log1p' ? Math.log1p(y) : y;
  }
  return out;
}

function initialScore(y: Float64Array, p: GbdtParams): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i] as number;
  const mean = sum / y.length;
  if (p.loss === 'poisson') {
    if (!(mean > 0)) throw DomainError.validation('target', 'the poisson loss needs a positive mean target');
    return Math.log(mean);
  }
  return mean;
}

function validationMetric(y: Float64Array, raw: Float64Array, p: GbdtParams): number {
  let sum = 0;
  if (p.loss === 'poisson') {
    for (let i = 0; i < y.length; i++) {
      const mu = Math.exp(raw[i] as number);
      const t = y[i] as number;
      sum += 2 * ((t > 0 ? t * Math.log(t / mu) : 0) - (t - mu));
    }
    return sum / y.length;
  }
  for (let i = 0; i < y.length; i++) {
    const d = (raw[i] as number) - (y[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / y.length);
}

function sampleFeatures(numFeatures: number, fraction: number, rng: SeededRandom): Int32Array {
  const k = Math.max(1, Math.round(fraction * numFeatures));
  const all = Array.from({ length: numFeatures }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (numFeatures - i));
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return Int32Array.from(all.slice(0, k).sort((a, b) => a - b));
}

/**
 * Splits off the latest `fraction` of the rows as validation: by the `time` key when given (rows
 * sharing the cut-off time all go to validation), else by row order (the data is taken as time-sorted).
 */
export function splitByTime(data: TrainingData, numFeatures: number, fraction: number): { train: TrainingData; valid: TrainingData } {
  const n = data.rows;
  const order = Array.from({ length: n }, (_, i) => i);
  let cut = Math.max(1, Math.min(n - 1, Math.floor(n * (1 - fraction))));
  if (data.time) {
    const time = data.time;
    order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
    const cutTime = time[order[cut] as number] as number;
    while (cut > 0 && (time[order[cut - 1] as number] as number) === cutTime) cut--;
    if (cut === 0) throw DomainError.validation('time', 'all rows share one time: no validation split by time is possible');
  }
  if (n < 2) throw DomainError.validation('rows', 'a validation split needs at least 2 rows');
  const take = (rows: number[]): TrainingData => {
    const features = new Float32Array(rows.length * numFeatures);
    const target = new Float64Array(rows.length);
    const time = data.time ? new Float64Array(rows.length) : undefined;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      for (let f = 0; f < numFeatures; f++) features[i * numFeatures + f] = data.features[r * numFeatures + f] as number;
      target[i] = data.target[r] as number;
      if (time && data.time) time[i] = data.time[r] as number;
    }
    return { features, rows: rows.length, target, time };
  };
  return { train: take(order.slice(0, cut)), valid: take(order.slice(cut)) };
}
