import { DomainError, SeededRandom } from '@dynaprice/kernel';
import type { FeatureSpec, FeatureType, ReferenceDistribution } from './types';

/** Bin of missing values (NaN), in every feature. */
export const MISSING_BIN = 255;
/** Categorical features: bin of codes outside the kept categories (never sent left). */
export const OTHER_BIN = 254;
/** Most categories a categorical feature keeps (the most frequent ones); the rest share OTHER_BIN. */
export const MAX_CATEGORIES = 254;
/** Largest category code (float32 holds integers exactly up to 2^24). */
export const MAX_CATEGORY_CODE = 1 << 24;

const REFERENCE_BINS = 20;
const PREFIX_TABLE_MIN_ROWS = 65_536;

/** How one feature's values map to bins. */
export interface FeatureBinning {
  readonly type: FeatureType;
  /** Numeric: upper edges (float32) of value bins 0..n-2; x <= thresholds[b] puts x in bin ≤ b. */
  readonly thresholds: Float32Array;
  /** Categorical: the category code of each value bin (ascending). */
  readonly categories: Int32Array;
  /** Number of value bins (missing and other bins excluded). */
  readonly valueBins: number;
}

/** Per-feature bin mappers, found on a sample of the training rows. */
export class BinMapper {
  private readonly categoryIndex: (Map<number, number> | null)[];

  constructor(readonly features: readonly FeatureBinning[]) {
    this.categoryIndex = features.map((f) =>
      f.type === 'categorical' ? new Map(Array.from(f.categories, (code, bin) => [code, bin])) : null,
    );
  }

  /**
   * Finds bin edges on up to `sampleSize` rows (drawn with `seed`), and the reference distributions
   * of every feature from the same sample.
   */
  static fit(
    features: Float32Array,
    rows: number,
    specs: readonly FeatureSpec[],
    maxBins: number,
    sampleSize: number,
    seed: number,
  ): { mapper: BinMapper; reference: ReferenceDistribution[] } {
    const numFeatures = specs.length;
    const sample = sampleRows(rows, sampleSize, seed);
    const column = new Float32Array(sample.length);
    const binnings: FeatureBinning[] = [];
    const reference: ReferenceDistribution[] = [];
    for (let f = 0; f < numFeatures; f++) {
      const spec = specs[f] as FeatureSpec;
      let present = 0;
      for (let i = 0; i < sample.length; i++) {
        const v = features[(sample[i] as number) * numFeatures + f] as number;
        if (v === v) column[present++] = v;
      }
      const values = column.subarray(0, present).sort();
      const missingShare = sample.length > 0 ? (sample.length - present) / sample.length : 0;
      if (spec.type === 'categorical') {
        const { binning, distribution } = categoricalBins(spec.name, values, missingShare, sample.length);
        binnings.push(binning);
        reference.push(distribution);
      } else {
        const thresholds = numericThresholds(values, maxBins);
        binnings.push({ type: 'numeric', thresholds, categories: new Int32Array(0), valueBins: thresholds.length + 1 });
        reference.push(numericReference(spec.name, values, missingShare, sample.length));
      }
    }
    return { mapper: new BinMapper(binnings), reference };
  }

  /** For each top-16-bit prefix of a float32: the bin of the smallest value with that prefix. */
  private prefixTable(f: number): Uint8Array {
    const table = new Uint8Array(65536);
    const word = new Uint32Array(1);
    const value = new Float32Array(word.buffer);
    for (let prefix = 0; prefix < 65536; prefix++) {
      // Positive floats grow with their bits; negative ones shrink: the smallest has the low bits set.
      word[0] = ((prefix << 16) | (prefix & 0x8000 ? 0xffff : 0)) >>> 0;
      const v = value[0] as number;
      table[prefix] = v === v ? this.bin(f, v) : 0;
    }
    return table;
  }

  /** Bin of one value of feature f. */
  bin(f: number, value: number): number {
    if (value !== value) return MISSING_BIN;
    const binning = this.features[f] as FeatureBinning;
    if (binning.type === 'categorical') {
      return (this.categoryIndex[f] as Map<number, number>).get(value) ?? OTHER_BIN;
    }
    const t = binning.thresholds;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value <= (t[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Bins a row-major float32 matrix into a column-major uint8 matrix (feature f of row r at
   * f * rows + r). Categorical values must be non-negative integer codes or NaN.
   */
  transform(features: Float32Array, rows: number, names: readonly string[]): Uint8Array {
    const numFeatures = this.features.length;
    const out = new Uint8Array(numFeatures * rows);
    for (let f = 0; f < numFeatures; f++) {
      const binning = this.features[f] as FeatureBinning;
      const offset = f * rows;
      if (binning.type === 'categorical') {
        const index = this.categoryIndex[f] as Map<number, number>;
        // Small codes: a direct lookup table instead of a Map per value.
        const lookup = new Uint8Array(Math.min(65_536, (binning.categories[binning.valueBins - 1] ?? -1) + 1)).fill(OTHER_BIN);
        binning.categories.forEach((code, bin) => {
          if (code < lookup.length) lookup[code] = bin;
        });
        for (let r = 0; r < rows; r++) {
          const v = features[r * numFeatures + f] as number;
          if (v !== v) {
            out[offset + r] = MISSING_BIN;
            continue;
          }
          if (!Number.isInteger(v) || v < 0 || v >= MAX_CATEGORY_CODE) {
            throw DomainError.validation(`features.${names[f] ?? f}`, `categorical value ${v} in row ${r} is not an integer code in [0, 2^24)`);
          }
          out[offset + r] = v < lookup.length ? (lookup[v] as number) : (index.get(v) ?? OTHER_BIN);
        }
      } else if (rows >= PREFIX_TABLE_MIN_ROWS && binning.thresholds.length > 0) {
        // Start bin by the top 16 bits of the float32 value, then a short forward scan: avoids the
        // mispredicted branches of a binary search per value.
        const t = binning.thresholds;
        const n = t.length;
        const start = this.prefixTable(f);
        const bits = new Uint32Array(features.buffer, features.byteOffset, features.length);
        for (let r = 0; r < rows; r++) {
          const i = r * numFeatures + f;
          const v = features[i] as number;
          if (v !== v) {
            out[offset + r] = MISSING_BIN;
            continue;
          }
          let b = start[(bits[i] as number) >>> 16] as number;
          while (b < n && v > (t[b] as number)) b++;
          out[offset + r] = b;
        }
      } else {
        for (let r = 0; r < rows; r++) out[offset + r] = this.bin(f, features[r * numFeatures + f] as number);
      }
    }
    return out;
  }
}

/** Sorted row indices of a deterministic sample (all rows when rows ≤ size). */
function sampleRows(rows: number, size: number, seed: number): Int32Array {
  if (rows <= size) {
    const all = new Int32Array(rows);
    for (let i = 0; i < rows; i++) all[i] = i;
    return all;
  }
  // Selection sampling (Knuth's algorithm S): exactly `size` rows, in order.
  const rng = new SeededRandom(seed ^ 0x5bd1e995);
  const out = new Int32Array(size);
  let chosen = 0;
  for (let r = 0; r < rows && chosen < size; r++) {
    if ((rows - r) * rng.next() < size - chosen) out[chosen++] = r;
  }
  return out;
}

/**
 * Bin edges of sorted values: midpoints between distinct values when there are few, otherwise
 * quantiles (midpoint interpolation, like scikit-learn). Every edge t is a float32 with
 * a <= t < b for the two neighbouring values it separates.
 */
export function numericThresholds(sorted: Float32Array, maxBins: number): Float32Array {
  const n = sorted.length;
  if (n === 0) return new Float32Array(0);
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      distinct.push(v);
      if (distinct.length > maxBins) break;
    }
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let j = 0; j + 1 < distinct.length; j++) edges.push(edgeBetween(distinct[j] as number, distinct[j + 1] as number));
  } else {
    const maxValue = sorted[n - 1] as number;
    for (let k = 1; k < maxBins; k++) {
      const position = (k / maxBins) * (n - 1);
      const lo = Math.floor(position);
      const hi = Math.ceil(position);
      const a = sorted[lo] as number;
      const b = sorted[hi] as number;
      let t = Math.fround((a + b) / 2);
      if (t >= b && b > a) t = a;
      if (t >= maxValue) break;
      if (edges.length === 0 || t > (edges[edges.length - 1] as number)) edges.push(t);
    }
  }
  return Float32Array.from(edges);
}

function edgeBetween(a: number, b: number): number {
  const t = Math.fround(a / 2 + b / 2);
  return t >= b || t < a ? a : t;
}

function categoricalBins(
  name: string,
  values: Float32Array,
  missingShare: number,
  rows: number,
): { binning: FeatureBinning; distribution: ReferenceDistribution } {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= MAX_CATEGORY_CODE) {
      throw DomainError.validation(`features.${name}`, `categorical value ${v} is not an integer code in [0, 2^24)`);
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  // Keep the most frequent categories (ties: smaller code), then order the kept ones by code.
  const kept = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_CATEGORIES)
    .sort((a, b) => a[0] - b[0]);
  const present = values.length;
  const keptRows = kept.reduce((sum, [, count]) => sum + count, 0);
  const proportions = kept.map(([, count]) => (present > 0 ? count / present : 0));
  if (keptRows < present) proportions.push((present - keptRows) / present);
  return {
    binning: { type: 'categorical', thresholds: new Float32Array(0), categories: Int32Array.from(kept.map(([code]) => code)), valueBins: kept.length },
    distribution: {
      feature: name,
      type: 'categorical',
      edges: kept.map(([code]) => code),
      proportions,
      missing: missingShare,
      min: present > 0 ? (values[0] as number) : null,
      max: present > 0 ? (values[present - 1] as number) : null,
      rows,
    },
  };
}

function numericReference(name: string, sorted: Float32Array, missingShare: number, rows: number): ReferenceDistribution {
  const n = sorted.length;
  const edges = Array.from(numericThresholds(sorted, REFERENCE_BINS));
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    while (bin < edges.length && v > (edges[bin] as number)) bin++;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return {
    feature: name,
    type: 'numeric',
    edges,
    proportions: counts.map((c) => (n > 0 ? c / n : 0)),
    missing: missingShare,
    min: n > 0 ? (sorted[0] as number) : null,
    max: n > 0 ? (sorted[n - 1] as number) : null,
    rows,
  };
}
