import { assertValidReference, binCount, type FeatureValue, type ReferenceDistribution } from './reference';

/** Largest category code served by a dense lookup table instead of a Map. */
const MAX_DENSE_CODE = 1 << 16;

type BinnerKind = 'numeric' | 'dense-codes' | 'number-map' | 'string-map';

/** Maps one feature's values to the bins of its reference's common layout (see {@link binCount}). */
export class FeatureBinner {
  /** Bins in the layout, the missing bin last. */
  readonly bins: number;
  readonly missingBin: number;
  private readonly kind: BinnerKind;
  private readonly edges: Float64Array;
  private readonly dense: Int32Array;
  private readonly numberIndex = new Map<number, number>();
  private readonly stringIndex = new Map<string, number>();
  /** Categorical: the "other" bin; numeric: unused (−1). */
  private readonly otherBin: number;

  constructor(readonly reference: ReferenceDistribution) {
    assertValidReference(reference);
    this.bins = binCount(reference);
    this.missingBin = this.bins - 1;
    if (reference.kind === 'numeric') {
      this.kind = 'numeric';
      this.edges = Float64Array.from(reference.edges);
      this.dense = new Int32Array(0);
      this.otherBin = -1;
      return;
    }
    this.edges = new Float64Array(0);
    this.otherBin = reference.categories.length;
    const categories: readonly (number | string)[] = reference.categories;
    const codes = categories.filter((c): c is number => typeof c === 'number');
    if (codes.length === categories.length && codes.every((c) => Number.isInteger(c) && c >= 0 && c < MAX_DENSE_CODE)) {
      this.kind = 'dense-codes';
      this.dense = new Int32Array(codes.length > 0 ? Math.max(...codes) + 1 : 0).fill(this.otherBin);
      codes.forEach((code, bin) => {
        this.dense[code] = bin;
      });
      return;
    }
    this.dense = new Int32Array(0);
    this.kind = codes.length === categories.length ? 'number-map' : 'string-map';
    categories.forEach((category, bin) => {
      if (typeof category === 'number') this.numberIndex.set(category, bin);
      else this.stringIndex.set(category, bin);
    });
  }

  /** Bin of one value: NaN, null and undefined are missing; an unknown category is "other". */
  bin(value: FeatureValue): number {
    if (value === null || value === undefined) return this.missingBin;
    if (typeof value === 'string') {
      if (this.kind === 'numeric') return this.missingBin;
      return this.stringIndex.get(value) ?? this.otherBin;
    }
    if (value !== value) return this.missingBin;
    switch (this.kind) {
      case 'numeric':
        return numericBin(this.edges, value);
      case 'dense-codes':
        return value >= 0 && value < this.dense.length && Math.floor(value) === value ? (this.dense[value] as number) : this.otherBin;
      case 'number-map':
        return this.numberIndex.get(value) ?? this.otherBin;
      case 'string-map':
        return this.otherBin;
    }
  }

  /**
   * Adds the bins of column `column` of a row-major matrix (`rows` rows of `stride` values) to
   * `counts[offset + bin]`. One tight loop per binner kind.
   */
  countColumn(matrix: ArrayLike<number>, rows: number, stride: number, column: number, counts: Uint32Array | Float64Array, offset: number): void {
    const missing = offset + this.missingBin;
    const end = rows * stride;
    if (this.kind === 'numeric') {
      const edges = this.edges;
      const numEdges = edges.length;
      for (let i = column; i < end; i += stride) {
        const x = matrix[i] as number;
        let bin: number;
        if (x !== x) bin = missing;
        else {
          let lo = 0;
          let hi = numEdges;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (x <= (edges[mid] as number)) hi = mid;
            else lo = mid + 1;
          }
          bin = offset + lo;
        }
        counts[bin] = (counts[bin] as number) + 1;
      }
      return;
    }
    if (this.kind === 'dense-codes') {
      const dense = this.dense;
      const size = dense.length;
      const other = offset + this.otherBin;
      for (let i = column; i < end; i += stride) {
        const x = matrix[i] as number;
        const bin = x !== x ? missing : x >= 0 && x < size && Math.floor(x) === x ? offset + (dense[x] as number) : other;
        counts[bin] = (counts[bin] as number) + 1;
      }
      return;
    }
    for (let i = column; i < end; i += stride) {
      const bin = offset + this.bin(matrix[i] as number);
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
}

/** First bin whose upper edge is ≥ x (edges ascending); edges.length for x above every edge. */
export function numericBin(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Counts a sample into the reference's common layout. */
export function binCounts(reference: ReferenceDistribution, values: ArrayLike<FeatureValue>): Float64Array {
  const binner = new FeatureBinner(reference);
  const counts = new Float64Array(binner.bins);
  for (let i = 0; i < values.length; i++) {
    const bin = binner.bin(values[i]);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}
