import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createModelArtifacts,
  DEFAULT_PROTECTED_ATTRIBUTES,
  readCsvColumns,
  readCsvHeader,
  trainGbdt,
  type CsvColumnSpec,
  type FeatureSpec,
  type GbdtLoss,
  type GbdtParams,
} from '@dynaprice/gbdt';
import { UsageError } from '../cli-error';
import { listOption, numberOption, requiredString, stringOption, type CliCommand } from '../command';
import { CARD_FILE, MODEL_FILE } from '../model-files';
import { startProgress } from '../progress';
import { formatNumber, formatTable } from '../table';

const DAY_MS = 86_400_000;

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a demand model from a CSV file; writes DIR/model.onnx and DIR/model-card.json',
  usage: `dynaprice train --csv FILE --target COL --out DIR [options]

  --csv FILE                 training rows (without --csv, "dynaprice train --out DIR" trains on the
                             API database's decision history: see "dynaprice jobs train --help")
  --target COL               units column
  --time COL                 date / time column: the latest rows become the validation split
  --features a,b,…           feature columns in model order (default: every other column)
  --categorical c,…          feature columns holding categories (codes or text)
  --monotone-decreasing COL  demand never rises with this feature (repeatable / comma list)
  --monotone-increasing COL  demand never falls with this feature
  --loss squared|poisson     default squared
  --log-target               train on log1p(units), predict expm1 (squared loss)
  --trees N                  boosting rounds (default 500)
  --learning-rate X          default 0.05
  --depth N                  maximum depth (default: none, leaf-wise)
  --leaves N                 maximum leaves (default 31, or 2^depth with --depth)
  --min-leaf N               minimum rows per leaf (default 20)
  --l2 X                     L2 regularisation (default 1)
  --row-subsample X          rows per tree (default 1)
  --feature-subsample X      features per tree (default 1)
  --validation-fraction X    latest share of rows for early stopping (default 0.2, 0 = none)
  --patience N               early-stopping rounds (default 50)
  --seed N                   default 0
  --created-by NAME          default: the user name
  --created-at ISO           default: now
`,
  options: {
    csv: { type: 'string' },
    target: { type: 'string' },
    time: { type: 'string' },
    features: { type: 'string' },
    categorical: { type: 'string', multiple: true },
    'monotone-decreasing': { type: 'string', multiple: true },
    'monotone-increasing': { type: 'string', multiple: true },
    loss: { type: 'string' },
    'log-target': { type: 'boolean' },
    trees: { type: 'string' },
    'learning-rate': { type: 'string' },
    depth: { type: 'string' },
    leaves: { type: 'string' },
    'min-leaf': { type: 'string' },
    l2: { type: 'string' },
    'row-subsample': { type: 'string' },
    'feature-subsample': { type: 'string' },
    'validation-fraction': { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    'created-by': { type: 'string' },
    'created-at': { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values }, io) {
    const csv = requiredString(values, 'csv', '(or run `dynaprice train --out DIR` without --csv to train on the database)');
    const target = requiredString(values, 'target');
    const out = resolve(requiredString(values, 'out'));
    const time = stringOption(values, 'time');
    const params = trainingParams(values);
    const createdAt = stringOption(values, 'created-at') ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(createdAt))) throw new UsageError(`--created-at must be an ISO date-time, got ${JSON.stringify(createdAt)}`);
    const createdBy = stringOption(values, 'created-by') ?? safeUserName();

    const header = await readCsvHeader(csv);
    for (const [flag, column] of [
      ['target', target],
      ['time', time],
    ] as const) {
      if (column !== undefined && !header.includes(column)) throw new UsageError(`--${flag}: ${csv} has no column ${JSON.stringify(column)} (columns: ${header.join(', ')})`);
    }
    const explicit = listOption(values, 'features');
    const featureNames = explicit.length > 0 ? explicit : header.filter((h) => h !== target && h !== time);
    if (featureNames.length === 0) throw new UsageError(`${csv} has no feature columns besides the target`);
    const unknown = featureNames.filter((f) => !header.includes(f));
    if (unknown.length > 0) throw new UsageError(`--features: ${csv} has no column ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
    if (featureNames.includes(target)) throw new UsageError(`--features must not include the target ${JSON.stringify(target)}`);
    const categorical = new Set(listOption(values, 'categorical'));
    const decreasing = new Set(listOption(values, 'monotone-decreasing'));
    const increasing = new Set(listOption(values, 'monotone-increasing'));
    for (const [flag, set] of [
      ['categorical', categorical],
      ['monotone-decreasing', decreasing],
      ['monotone-increasing', increasing],
    ] as const) {
      for (const name of set) if (!featureNames.includes(name)) throw new UsageError(`--${flag}: ${JSON.stringify(name)} is not a feature`);
    }
    const specs: FeatureSpec[] = featureNames.map((name) => ({
      name,
      type: categorical.has(name) ? 'categorical' : 'numeric',
      monotone: decreasing.has(name) ? -1 : increasing.has(name) ? 1 : 0,
    }));

    const columns: CsvColumnSpec[] = [
      ...specs.map((s): CsvColumnSpec => ({ name: s.name, kind: s.type === 'categorical' ? 'category' : 'number' })),
      { name: target, kind: 'number', required: true },
      ...(time ? [{ name: time, kind: 'time' as const }] : []),
    ];
    const table = await readCsvColumns(csv, columns);
    const rows = table.rows;
    const features = new Float32Array(rows * specs.length);
    const vocabularies: Record<string, readonly string[]> = {};
    specs.forEach((spec, f) => {
      const column = table.columns.get(spec.name);
      if (!column) return;
      if (column.vocabulary) vocabularies[spec.name] = column.vocabulary;
      for (let r = 0; r < rows; r++) features[r * specs.length + f] = column.values[r] as number;
    });
    const timeColumn = time ? table.columns.get(time) : undefined;
    const targetValues = table.columns.get(target)?.values ?? new Float64Array(0);

    const progress = startProgress(io, 'training', params.numTrees ?? 500);
    const started = Date.now();
    let model;
    try {
      model = trainGbdt(
        { features, rows, target: targetValues, time: timeColumn?.values },
        {
          features: specs,
          params,
          onProgress: (p) => progress.update(p.iteration, Number.isNaN(p.validationMetric) ? '' : `validation ${formatNumber(p.validationMetric)}`),
        },
      );
    } finally {
      progress.stop();
    }
    const seconds = (Date.now() - started) / 1000;

    let window = { from: null as string | null, to: null as string | null };
    if (timeColumn?.isDate) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of timeColumn.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      window = { from: isoDate(min), to: isoDate(max) };
    }
    const { onnx, card } = createModelArtifacts(model, {
      targetName: target,
      vocabularies,
      trainingWindow: window,
      protectedAttributes: DEFAULT_PROTECTED_ATTRIBUTES,
      createdBy,
      createdAt,
    });
    await mkdir(out, { recursive: true });
    await writeFile(join(out, MODEL_FILE), onnx);
    await writeFile(join(out, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);

    const metrics = card.validation;
    const rowsOut: string[][] = [
      ['rows', `${card.trainingData.trainingRows} training + ${card.trainingData.validationRows} validation`],
      ['trees', `${card.treeCount} (best iteration ${card.bestIteration})`],
      ['training time', `${seconds.toFixed(1)} s`],
    ];
    if (metrics) {
      rowsOut.push(['validation RMSE', formatNumber(metrics.rmse)], ['validation MAE', formatNumber(metrics.mae)], ['validation WAPE', formatNumber(metrics.wape)], ['validation RMSE log1p', formatNumber(metrics.rmseLog1p)]);
    } else {
      rowsOut.push(['validation', 'none (--validation-fraction 0)']);
    }
    rowsOut.push(['model', join(out, MODEL_FILE)], ['sha256', card.sha256 ?? '']);
    io.stdout.write(formatTable(['training', 'value'], rowsOut));
  },
};

function trainingParams(values: Parameters<CliCommand['run']>[0]['values']): Partial<GbdtParams> {
  const lossName = stringOption(values, 'loss') ?? 'squared';
  if (lossName !== 'squared' && lossName !== 'poisson') throw new UsageError(`--loss must be squared or poisson, got ${JSON.stringify(lossName)}`);
  const loss: GbdtLoss = lossName;
  const logTarget = values['log-target'] === true;
  if (logTarget && loss === 'poisson') throw new UsageError('--log-target cannot be combined with --loss poisson (it already has a log link)');
  const depth = numberOption(values, 'depth', { integer: true, min: 1, max: 30 });
  const leaves = numberOption(values, 'leaves', { integer: true, min: 2, max: 4096 });
  const params: Partial<GbdtParams> = {
    loss,
    targetTransform: logTarget ? 'log1p' : 'none',
    numTrees: numberOption(values, 'trees', { integer: true, min: 1, max: 100_000 }) ?? 500,
    learningRate: numberOption(values, 'learning-rate', { min: 1e-6, max: 1 }) ?? 0.05,
    maxDepth: depth ?? 0,
    maxLeaves: leaves ?? (depth !== undefined ? Math.min(4096, 2 ** depth) : 31),
    minDataInLeaf: numberOption(values, 'min-leaf', { integer: true, min: 1 }) ?? 20,
    lambdaL2: numberOption(values, 'l2', { min: 0 }) ?? 1,
    rowSubsample: numberOption(values, 'row-subsample', { min: 0.01, max: 1 }) ?? 1,
    featureSubsample: numberOption(values, 'feature-subsample', { min: 0.01, max: 1 }) ?? 1,
    validationFraction: numberOption(values, 'validation-fraction', { min: 0, max: 0.9 }) ?? 0.2,
    earlyStoppingRounds: numberOption(values, 'patience', { integer: true, min: 0 }) ?? 50,
    seed: numberOption(values, 'seed', { integer: true, min: 0, max: 2 ** 31 - 1 }) ?? 0,
  };
  return params;
}

function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function safeUserName(): string {
  try {
    return userInfo().username || 'dynaprice-cli';
  } catch {
    return 'dynaprice-cli';
  }
}
