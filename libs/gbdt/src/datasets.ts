import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@dynaprice/kernel';
import { readCsvColumns, type CsvColumn, type CsvColumns } from './csv';
import { regressionMetrics, rmse } from './metrics';
import type { FeatureSpec, GbdtParams, RegressionMetrics } from './types';

/** One side of a time split: features (row-major float32), the modelling target y, and units. */
export interface DatasetSplit {
  readonly features: Float32Array;
  readonly rows: number;
  /** The modelling target of the recipe (a log of units). */
  readonly y: Float64Array;
  /** Units sold. */
  readonly units: Float64Array;
  /** Days since 1970-01-01 of each row. */
  readonly day: Float64Array;
}

/** Scores of the scikit-learn reference, as published in the dataset's SOURCE.md. */
export interface DatasetReference {
  readonly histGradientBoosting: { readonly rmse: number; readonly wape: number };
  readonly naive: { readonly rmse: number; readonly wape: number };
}

export interface PreparedDataset {
  readonly name: string;
  readonly features: readonly FeatureSpec[];
  readonly train: DatasetSplit;
  readonly test: DatasetSplit;
  /** The naive forecast of y for each test row: the last training y of its series, held flat. */
  readonly naiveY: Float64Array;
  /** Units implied by a prediction of y (the recipe's inverse transform, floored at 0). */
  readonly unitsFromY: (y: number) => number;
  readonly reference: DatasetReference;
  /** Settings like the reference HistGradientBoostingRegressor (500 iterations, lr 0.05, 31 leaves, min 20 per leaf, l2 1). */
  readonly referenceParams: Partial<GbdtParams>;
}

/** How a prediction of y scores on a dataset's test split. */
export interface DatasetScore {
  /** RMSE of y. */
  readonly rmse: number;
  /** Σ|units − predicted units| / Σ units. */
  readonly wape: number;
  readonly units: RegressionMetrics;
}

export const REFERENCE_PARAMS: Partial<GbdtParams> = {
  loss: 'squared',
  targetTransform: 'none',
  numTrees: 500,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 0,
  minDataInLeaf: 20,
  lambdaL2: 1,
  maxBins: 255,
};

const DAY_MS = 86_400_000;
const CATEGORICAL_IDS = new Set(['city_id', 'management_group_id', 'first_category_id', 'second_category_id', 'third_category_id']);
const TEST_SHARE = 0.2;

/** Scores predictions of y on the test split. */
export function scoreDataset(dataset: PreparedDataset, predictedY: ArrayLike<number>): DatasetScore {
  const units = new Float64Array(dataset.test.rows);
  for (let i = 0; i < units.length; i++) units[i] = dataset.unitsFromY(predictedY[i] as number);
  const metrics = regressionMetrics(dataset.test.units, units);
  return { rmse: rmse(dataset.test.y, predictedY), wape: metrics.wape, units: metrics };
}

/**
 * Hass avocado weekly data (datasets/hab_avocado_2015_2018), per its SOURCE.md: y = log1p(Total
 * Volume); features log(AveragePrice), region and type (categorical), ISO week, month, t (weeks
 * since 2015-01-04), series_mean (mean training y of the region × type series); the last 20 % of
 * distinct dates are the test set.
 */
export async function loadAvocado(dir: string): Promise<PreparedDataset> {
  const table = await readCsvColumns(join(dir, 'avocado.csv'), [
    { name: 'Date', kind: 'time' },
    { name: 'AveragePrice', kind: 'number', required: true },
    { name: 'Total Volume', kind: 'number', required: true },
    { name: 'type', kind: 'category' },
    { name: 'region', kind: 'category' },
  ]);
  const day = column(table, 'Date').values;
  const price = column(table, 'AveragePrice').values;
  const volume = column(table, 'Total Volume').values;
  const type = column(table, 'type').values;
  const region = column(table, 'region').values;
  const typeCount = column(table, 'type').vocabulary?.length ?? 2;
  const start = Date.UTC(2015, 0, 4) / DAY_MS;
  const rows = table.rows;
  const y = Float64Array.from(volume, (v) => Math.log1p(v));
  const series = Float64Array.from(region, (r, i) => r * typeCount + (type[i] as number));
  const features: FeatureSpec[] = [
    { name: 'log_price', type: 'numeric' },
    { name: 'region', type: 'categorical' },
    { name: 'type', type: 'categorical' },
    { name: 'iso_week', type: 'numeric' },
    { name: 'month', type: 'numeric' },
    { name: 't', type: 'numeric' },
    { name: 'series_mean', type: 'numeric' },
  ];
  const base = (i: number): number[] => {
    const date = new Date((day[i] as number) * DAY_MS);
    return [
      Math.log(price[i] as number),
      region[i] as number,
      type[i] as number,
      isoWeek(date),
      date.getUTCMonth() + 1,
      ((day[i] as number) - start) / 7,
    ];
  };
  return assemble('hab_avocado_2015_2018', dir, features, rows, day, y, volume, series, base, (v) => Math.max(Math.expm1(v), 0));
}

/**
 * FreshRetailNet-50K daily subset (datasets/freshretailnet50k_subset), per its SOURCE.md: rows with
 * discount = 0 dropped; y = log(sale_amount + 0.1); features log(discount), store and product
 * (ordinal codes), city, management group and the three category levels (native categoricals, like
 * the reference's HistGradientBoosting; this reproduces its score), day of week, activity_flag,
 * holiday_flag, the four weather columns, t (days), series_mean (mean training y of the store ×
 * product series); the last 20 % of distinct dates are the test set.
 */
export async function loadFreshRetailNet(dir: string): Promise<PreparedDataset> {
  const numeric = [
    'city_id',
    'store_id',
    'management_group_id',
    'first_category_id',
    'second_category_id',
    'third_category_id',
    'product_id',
    'sale_amount',
    'discount',
    'holiday_flag',
    'activity_flag',
    'precpt',
    'avg_temperature',
    'avg_humidity',
    'avg_wind_level',
  ];
  const table = await readCsvColumns(join(dir, 'freshretailnet50k_daily_subset.csv'), [
    { name: 'dt', kind: 'time' },
    ...numeric.map((name) => ({ name, kind: 'number' as const, required: true })),
  ]);
  const all = (name: string): Float64Array => column(table, name).values;
  const discount = all('discount');
  const keep: number[] = [];
  for (let i = 0; i < table.rows; i++) if ((discount[i] as number) !== 0) keep.push(i);
  const pick = (values: Float64Array): Float64Array => Float64Array.from(keep, (i) => values[i] as number);
  const day = pick(all('dt'));
  const units = pick(all('sale_amount'));
  const y = Float64Array.from(units, (u) => Math.log(u + 0.1));
  const store = pick(all('store_id'));
  const product = pick(all('product_id'));
  const cols = Object.fromEntries(numeric.map((name) => [name, pick(all(name))])) as Record<string, Float64Array>;
  const series = Float64Array.from(store, (s, i) => s * 1_000_000 + (product[i] as number));
  const firstDay = day.reduce((min, d) => Math.min(min, d), Infinity);
  const features: FeatureSpec[] = [
    'log_discount',
    'store_id',
    'product_id',
    'city_id',
    'management_group_id',
    'first_category_id',
    'second_category_id',
    'third_category_id',
    'day_of_week',
    'activity_flag',
    'holiday_flag',
    'precpt',
    'avg_temperature',
    'avg_humidity',
    'avg_wind_level',
    't',
    'series_mean',
  ].map((name) => ({ name, type: CATEGORICAL_IDS.has(name) ? 'categorical' : 'numeric' }));
  const get = (name: string, i: number): number => (cols[name] as Float64Array)[i] as number;
  const base = (i: number): number[] => [
    Math.log(get('discount', i)),
    get('store_id', i),
    get('product_id', i),
    get('city_id', i),
    get('management_group_id', i),
    get('first_category_id', i),
    get('second_category_id', i),
    get('third_category_id', i),
    new Date((day[i] as number) * DAY_MS).getUTCDay(),
    get('activity_flag', i),
    get('holiday_flag', i),
    get('precpt', i),
    get('avg_temperature', i),
    get('avg_humidity', i),
    get('avg_wind_level', i),
    (day[i] as number) - firstDay,
  ];
  return assemble('freshretailnet50k_subset', dir, features, keep.length, day, y, units, series, base, (v) => Math.max(Math.exp(v) - 0.1, 0));
}

function column(table: CsvColumns, name: string): CsvColumn {
  const c = table.columns.get(name);
  if (!c) throw DomainError.validation(name, 'column missing');
  return c;
}

/**
 * Time split (last 20 % of distinct dates → test), series_mean from the training rows, the naive
 * forecast, and the reference scores from SOURCE.md. `base(i)` gives row i's features except
 * series_mean, which is appended last.
 */
function assemble(
  name: string,
  dir: string,
  features: FeatureSpec[],
  rows: number,
  day: Float64Array,
  y: Float64Array,
  units: Float64Array,
  series: Float64Array,
  base: (i: number) => number[],
  unitsFromY: (y: number) => number,
): PreparedDataset {
  const dates = [...new Set(day)].sort((a, b) => a - b);
  const cutDay = dates[Math.floor(dates.length * (1 - TEST_SHARE))] as number;
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < rows; i++) ((day[i] as number) < cutDay ? trainRows : testRows).push(i);
  // Keep each split in time order (stable within a day).
  const byDay = (a: number, b: number): number => (day[a] as number) - (day[b] as number) || a - b;
  trainRows.sort(byDay);
  testRows.sort(byDay);

  const sums = new Map<number, { sum: number; count: number; lastDay: number; lastY: number }>();
  let globalSum = 0;
  for (const i of trainRows) {
    const s = sums.get(series[i] as number) ?? { sum: 0, count: 0, lastDay: -Infinity, lastY: 0 };
    s.sum += y[i] as number;
    s.count++;
    if ((day[i] as number) >= s.lastDay) {
      s.lastDay = day[i] as number;
      s.lastY = y[i] as number;
    }
    sums.set(series[i] as number, s);
    globalSum += y[i] as number;
  }
  const globalMean = globalSum / trainRows.length;
  const seriesMean = (i: number): number => {
    const s = sums.get(series[i] as number);
    return s ? s.sum / s.count : globalMean;
  };
  const numFeatures = features.length;
  const split = (indices: number[]): DatasetSplit => {
    const matrix = new Float32Array(indices.length * numFeatures);
    indices.forEach((i, r) => {
      const row = base(i);
      row.push(seriesMean(i));
      for (let f = 0; f < numFeatures; f++) matrix[r * numFeatures + f] = row[f] as number;
    });
    return {
      features: matrix,
      rows: indices.length,
      y: Float64Array.from(indices, (i) => y[i] as number),
      units: Float64Array.from(indices, (i) => units[i] as number),
      day: Float64Array.from(indices, (i) => day[i] as number),
    };
  };
  const naiveY = Float64Array.from(testRows, (i) => sums.get(series[i] as number)?.lastY ?? globalMean);
  return {
    name,
    features,
    train: split(trainRows),
    test: split(testRows),
    naiveY,
    unitsFromY,
    reference: readReference(join(dir, 'SOURCE.md')),
    referenceParams: REFERENCE_PARAMS,
  };
}

/** The HistGradientBoosting and naive rows of the reference table in SOURCE.md. */
export function readReference(path: string): DatasetReference {
  const text = readFileSync(path, 'utf8');
  const row = (label: RegExp): { rmse: number; wape: number } => {
    const line = text.split('\n').find((l) => label.test(l));
    const cells = line?.split('|').map((c) => c.trim()) ?? [];
    const rmseValue = Number(cells[2]);
    const wapeValue = Number(cells[3]);
    if (!line || Number.isNaN(rmseValue) || Number.isNaN(wapeValue)) throw DomainError.validation(path, `no reference row matching ${label}`);
    return { rmse: rmseValue, wape: wapeValue };
  };
  return { histGradientBoosting: row(/^\|\s*HistGradientBoosting\s*\|/), naive: row(/^\|\s*naive/) };
}

/** ISO-8601 week number of a UTC date. */
export function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dayOfWeek = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayOfWeek);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / DAY_MS + 1) / 7);
}
