import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  createModelArtifacts,
  InterventionalTreeShap,
  loadAvocado,
  loadTreeEnsemble,
  ModelShapExplainer,
  NodeMode,
  loadFreshRetailNet,
  scoreDataset,
  syntheticDemand,
  SYNTHETIC_FEATURES,
  trainGbdt,
  TreeEnsembleEvaluator,
  type GbdtModel,
  type GbdtParams,
  type PreparedDataset,
} from '@dynaprice/gbdt';
import { benchmarkPolicies, buildDemoRetailer, DEMO_PRICE_ENDINGS, simulateLegacyHistory } from '@dynaprice/market-sim';
import { DEMAND_FEATURE_COUNT, trainDemandModel, writeDemandFeatures } from '@dynaprice/pricing';
import { OrtDemandModel } from '@dynaprice/ort';
import { UsageError } from '../cli-error';
import { stringOption, type CliCommand, type CliIo, type OptionValues } from '../command';
import { startProgress } from '../progress';
import { formatNumber, formatTable } from '../table';
import { percentile } from '../bench/percentile';

/** The speed benchmark's trees: 200 rounds of depth-6 trees on log1p(units). */
export const BENCH_PARAMS: Partial<GbdtParams> = {
  targetTransform: 'log1p',
  numTrees: 200,
  maxDepth: 6,
  maxLeaves: 64,
  learningRate: 0.1,
  minDataInLeaf: 20,
  lambdaL2: 1,
};

const MB = 1024 * 1024;

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'benchmarks: `dynaprice bench gbdt` (training, inference, accuracy), `dynaprice bench policy` (model vs legacy vs oracle margin), `dynaprice bench explain` (TreeSHAP latency)',
  usage: `dynaprice bench gbdt [--quick] [--datasets DIR]
dynaprice bench policy [--days N] [--history N] [--stores N] [--skus-per-category N] [--seed N]
dynaprice bench explain [--rows N] [--background N] [--history N] [--stores N] [--skus-per-category N] [--seed N]

  explain: trains the default demand model on the demo retailer's legacy history (the model the
  API serves on a fresh demo), then times the TreeSHAP attribution of --rows (default 1,000) of its
  feature rows in process: path-dependent (the node covers the trainer embeds, what
  GET /v1/decisions/:id/explanation runs) and interventional against --background (default 100)
  rows (models uploaded without covers). Prints p50 / p99 / max latency per explanation and the
  worst additivity error |base + Σφ − raw score|.

  policy: trains the default demand model on the demo retailer's legacy history, then lets each
  policy (legacy rule, list price, the product's model-driven engine, the true-demand oracle) price
  the same stores for --days (default 14) days in process, and prints margin, lift and oracle share.

  Prints one table: training time and peak memory on 100k and 1M synthetic rows × 12 features
  (200 trees, depth 6); inference rows/s in onnxruntime-node and the TypeScript evaluator at batch
  sizes 1, 820 and 100,000; RMSE of y and WAPE on each dataset next to the naive forecast and the
  scikit-learn reference of its SOURCE.md.

  --quick          10k and 100k rows, shorter timing loops (a smoke run)
  --datasets DIR   default: the repository's datasets/ folder
`,
  options: {
    quick: { type: 'boolean' },
    datasets: { type: 'string' },
    days: { type: 'string' },
    history: { type: 'string' },
    stores: { type: 'string' },
    'skus-per-category': { type: 'string' },
    seed: { type: 'string' },
    rows: { type: 'string' },
    background: { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const [suite, ...extra] = positionals;
    if (suite === 'policy' && extra.length === 0) return benchPolicy(values, io);
    if (suite === 'explain' && extra.length === 0) return benchExplain(values, io);
    if (suite !== 'gbdt' || extra.length > 0) throw new UsageError(`unknown benchmark ${JSON.stringify(positionals.join(' '))} (available: gbdt, policy, explain)`);
    const quick = values.quick === true;
    const datasets = resolve(stringOption(values, 'datasets') ?? join(repositoryRoot(), 'datasets'));
    if (!existsSync(datasets)) throw new UsageError(`--datasets ${datasets} does not exist`);
    const rows: string[][] = [];

    let largest: { model: GbdtModel; features: Float32Array } | null = null;
    for (const size of quick ? [10_000, 100_000] : [100_000, 1_000_000]) {
      const data = syntheticDemand(size, 1);
      const run = measureTraining(io, `train ${label(size)}`, (sample) =>
        trainGbdt({ features: data.features, rows: data.rows, target: data.units }, { features: SYNTHETIC_FEATURES, params: BENCH_PARAMS, onProgress: sample }),
      );
      rows.push([
        `train ${label(size)} × 12`,
        '200 trees, depth 6',
        `${run.seconds.toFixed(1)} s; peak RSS ${run.peakRss.toFixed(0)} MB, heap ${run.peakHeap.toFixed(0)} MB + typed arrays ${run.peakArrayBuffers.toFixed(0)} MB`,
      ]);
      largest = { model: run.result, features: data.features };
    }

    if (largest) rows.push(...(await inferenceRows(largest.model, largest.features, quick)));
    for (const [name, load] of [
      ['avocado', () => loadAvocado(join(datasets, 'hab_avocado_2015_2018'))],
      ['FreshRetailNet', () => loadFreshRetailNet(join(datasets, 'freshretailnet50k_subset'))],
    ] as const) {
      rows.push(...(await accuracyRows(io, name, await load())));
    }
    io.stdout.write(formatTable(['benchmark', 'case', 'result'], rows));
  },
};

function label(rows: number): string {
  return rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`;
}

interface TrainingRun<T> {
  result: T;
  seconds: number;
  peakRss: number;
  peakHeap: number;
  peakArrayBuffers: number;
}

/** Times `train` and samples memory before, after and on every boosting round. */
function measureTraining(io: CliIo, name: string, train: (sample: () => void) => GbdtModel): TrainingRun<GbdtModel> {
  const progress = startProgress(io, name, BENCH_PARAMS.numTrees ?? 200);
  let rounds = 0;
  const run = {
    result: null as unknown as GbdtModel,
    seconds: 0,
    peakRss: 0,
    peakHeap: 0,
    peakArrayBuffers: 0,
    sample: () => {
      const m = process.memoryUsage();
      run.peakRss = Math.max(run.peakRss, m.rss / MB);
      run.peakHeap = Math.max(run.peakHeap, m.heapUsed / MB);
      run.peakArrayBuffers = Math.max(run.peakArrayBuffers, m.arrayBuffers / MB);
      progress.update(++rounds);
    },
  };
  run.sample();
  rounds = 0;
  const started = performance.now();
  try {
    run.result = train(run.sample);
  } finally {
    progress.stop();
  }
  run.seconds = (performance.now() - started) / 1000;
  run.sample();
  return run;
}

/** Rows per second of `predict` at one batch size, over at least `seconds` (after a warm-up call). */
async function rate(batch: number, seconds: number, predict: (start: number) => Promise<unknown> | unknown, available: number): Promise<number> {
  await predict(0);
  let rows = 0;
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 || calls < 3) {
    await predict(((calls * batch) % Math.max(1, available - batch + 1)) | 0);
    rows += batch;
    calls++;
  }
  return rows / ((performance.now() - started) / 1000);
}

async function inferenceRows(model: GbdtModel, features: Float32Array, quick: boolean): Promise<string[][]> {
  const numFeatures = SYNTHETIC_FEATURES.length;
  const available = Math.min(100_000, features.length / numFeatures);
  const input = features.subarray(0, available * numFeatures);
  const { onnx, card } = createModelArtifacts(model, { targetName: 'units', createdBy: 'bench', createdAt: '2024-01-01T00:00:00Z' });
  const ort = await OrtDemandModel.create(onnx, { version: card.sha256 ?? 'bench' });
  const evaluator = TreeEnsembleEvaluator.fromModel(model);
  const rows: string[][] = [];
  try {
    for (const batch of [1, 820, 100_000]) {
      const size = Math.min(batch, available);
      const slice = (start: number): Float32Array => input.subarray(start * numFeatures, (start + size) * numFeatures);
      const seconds = quick ? 0.3 : 1.5;
      const ortRate = await rate(size, seconds, (start) => ort.predict(slice(start), size), available);
      const tsRate = await rate(size, seconds, (start) => evaluator.evaluate(slice(start), size), available);
      rows.push([`inference, batch ${size.toLocaleString('en-US')}`, `${model.trees.length} trees, depth 6`, `onnxruntime-node ${formatRate(ortRate)} rows/s; TS evaluator ${formatRate(tsRate)} rows/s`]);
    }
  } finally {
    await ort.release();
  }
  return rows;
}

function formatRate(rowsPerSecond: number): string {
  return Math.round(rowsPerSecond).toLocaleString('en-US');
}

async function accuracyRows(io: CliIo, name: string, dataset: PreparedDataset): Promise<string[][]> {
  const progress = startProgress(io, `train ${name}`, dataset.referenceParams.numTrees ?? 500);
  const started = performance.now();
  let model: GbdtModel;
  try {
    model = trainGbdt(
      { features: dataset.train.features, rows: dataset.train.rows, target: dataset.train.y },
      { features: dataset.features, params: dataset.referenceParams, onProgress: (p) => progress.update(p.iteration) },
    );
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const { onnx, card } = createModelArtifacts(model, { targetName: 'y', createdBy: 'bench', createdAt: '2024-01-01T00:00:00Z' });
  const ort = await OrtDemandModel.create(onnx, { version: card.sha256 ?? name });
  let predicted: Float32Array;
  try {
    predicted = await ort.predict(dataset.test.features, dataset.test.rows);
  } finally {
    await ort.release();
  }
  const score = scoreDataset(dataset, predicted);
  const naive = scoreDataset(dataset, dataset.naiveY);
  const reference = dataset.reference.histGradientBoosting;
  const gap = (score.rmse / reference.rmse - 1) * 100;
  return [
    [
      `accuracy ${name}`,
      `${dataset.train.rows.toLocaleString('en-US')} train / ${dataset.test.rows.toLocaleString('en-US')} test rows, 500 trees, ${seconds.toFixed(1)} s`,
      `RMSE(y) ${formatNumber(score.rmse, 3)} vs HistGB ${reference.rmse} (${gap >= 0 ? '+' : ''}${gap.toFixed(1)} %), naive ${formatNumber(naive.rmse, 3)}; WAPE ${formatNumber(score.wape, 3)} vs HistGB ${reference.wape}, naive ${formatNumber(naive.wape, 3)}`,
    ],
  ];
}

/** The folder holding the workspace's package.json and datasets/ (from src or dist). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (dirname(dir) !== dir) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'datasets'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

function wholeNumber(values: OptionValues, name: string, fallback: number, min: number, max: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** `dynaprice bench policy`: the in-process proof of value on the synthetic retailer. */
function benchPolicy(values: OptionValues, io: CliIo): void {
  const days = wholeNumber(values, 'days', 14, 1, 365);
  const historyDays = wholeNumber(values, 'history', 56, 14, 365);
  const stores = wholeNumber(values, 'stores', 5, 1, 100);
  const skusPerCategory = wholeNumber(values, 'skus-per-category', 30, 1, 200);
  const seed = wholeNumber(values, 'seed', 7, 0, 2 ** 31 - 1);
  const started = Date.now();
  const retailer = buildDemoRetailer({ seed, stores, skusPerCategory });
  const benchmark = benchmarkPolicies({ retailer, historyDays, evaluationDays: days, startDate: '2026-06-01', seed, guardrails: { priceEndings: DEMO_PRICE_ENDINGS } });
  const legacy = benchmark.results.find((result) => result.policy === 'legacy');
  const oracle = benchmark.results.find((result) => result.policy === 'oracle');
  const rows = benchmark.results.map((result) => [
    result.policy,
    formatNumber(result.margin, 6),
    legacy ? `${((result.margin / legacy.margin - 1) * 100).toFixed(1)} %` : '',
    oracle ? `${((result.margin / oracle.margin) * 100).toFixed(1)} %` : '',
    formatNumber(result.unitsSold, 6),
    formatNumber(result.wasteUnits, 6),
    `${(result.atCeilingShare * 100).toFixed(0)} %`,
  ]);
  io.stdout.write(
    `Policy benchmark: ${stores} stores × ${skusPerCategory * 5} SKUs, ${historyDays} days of legacy history (${benchmark.trainingRows} rows, model trained in ${benchmark.trainingSeconds.toFixed(1)} s), ${days} days priced, seed ${seed}\n\n` +
      formatTable(['policy', 'margin after waste', 'vs legacy', 'of oracle', 'units sold', 'waste units', 'at ceiling'], rows) +
      `\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}

/** Percentile (nearest rank) of ascending values. */
/** `dynaprice bench explain`: TreeSHAP latency per explanation on the demo-sized model, in process. */
function benchExplain(values: OptionValues, io: CliIo): void {
  const rows = wholeNumber(values, 'rows', 1_000, 10, 100_000);
  const backgroundRows = wholeNumber(values, 'background', 100, 1, 10_000);
  const historyDays = wholeNumber(values, 'history', 56, 14, 365);
  const stores = wholeNumber(values, 'stores', 5, 1, 100);
  const skusPerCategory = wholeNumber(values, 'skus-per-category', 30, 1, 200);
  const seed = wholeNumber(values, 'seed', 7, 0, 2 ** 31 - 1);
  const retailer = buildDemoRetailer({ seed, stores, skusPerCategory });
  const history = simulateLegacyHistory({ retailer, days: historyDays, endDate: '2026-06-01', seed });
  const observations = history.observations;
  const features = new Float32Array(observations.length * DEMAND_FEATURE_COUNT);
  observations.forEach((o, row) => writeDemandFeatures(features, row, o.context, o.price / o.listPrice));
  const progress = startProgress(io, 'train demand model', 1);
  let onnx: Uint8Array;
  try {
    onnx = trainDemandModel(
      { features, unitsSold: observations.map((o) => o.unitsSold), day: observations.map((o) => Date.parse(o.date) / 86_400_000), rows: observations.length, from: history.startDate, to: history.endDate },
      { createdBy: 'bench', createdAt: '2026-06-01T00:00:00.000Z' },
    ).onnx;
  } finally {
    progress.stop();
  }
  const ensemble = loadTreeEnsemble(onnx).ensemble;
  const leaves = ensemble.mode.reduce((count, mode) => count + (mode === NodeMode.LEAF ? 1 : 0), 0);
  // Rows to explain and background rows: spread over the history (every k-th row).
  const pick = (count: number, offset: number): Float32Array => {
    const out = new Float32Array(count * DEMAND_FEATURE_COUNT);
    const step = Math.max(1, Math.floor(observations.length / count));
    for (let i = 0; i < count; i++) {
      const row = (offset + i * step) % observations.length;
      out.set(features.subarray(row * DEMAND_FEATURE_COUNT, (row + 1) * DEMAND_FEATURE_COUNT), i * DEMAND_FEATURE_COUNT);
    }
    return out;
  };
  const explained = pick(rows, 0);
  const background = pick(backgroundRows, 1);
  const pathDependent = ModelShapExplainer.create(onnx);
  const interventional = new InterventionalTreeShap(ensemble, background, backgroundRows);
  const table: string[][] = [];
  for (const [name, explain] of [
    ['path-dependent (embedded covers)', (row: Float32Array) => pathDependent.explain(row)],
    [`interventional (${backgroundRows} background rows)`, (row: Float32Array) => interventional.explain(row)],
  ] as const) {
    const count = name.startsWith('interventional') ? Math.min(rows, 200) : rows;
    for (let i = 0; i < Math.min(count, 20); i++) explain(explained.subarray(i * DEMAND_FEATURE_COUNT, (i + 1) * DEMAND_FEATURE_COUNT));
    const times: number[] = [];
    let worst = 0;
    for (let i = 0; i < count; i++) {
      const row = explained.subarray(i * DEMAND_FEATURE_COUNT, (i + 1) * DEMAND_FEATURE_COUNT);
      const started = performance.now();
      const result = explain(row);
      times.push(performance.now() - started);
      worst = Math.max(worst, Math.abs(result.baseValue + result.values.reduce((sum, v) => sum + v, 0) - result.prediction));
    }
    times.sort((a, b) => a - b);
    table.push([name, String(count), `${percentile(times, 0.5).toFixed(3)} ms`, `${percentile(times, 0.99).toFixed(3)} ms`, `${(times[times.length - 1] as number).toFixed(3)} ms`, worst.toExponential(1)]);
  }
  io.stdout.write(
    `TreeSHAP on the demo demand model: ${ensemble.roots.length} trees, ${leaves} leaves, ${DEMAND_FEATURE_COUNT} features (${stores} stores × ${skusPerCategory * 5} SKUs, ${historyDays} days of history, ${observations.length} training rows); in process, one row per call\n\n` +
      formatTable(['method', 'rows', 'p50', 'p99', 'max', 'max |base + Σφ − score|'], table),
  );
}
