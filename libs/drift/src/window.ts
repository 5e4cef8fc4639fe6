import { DomainError } from '@dynaprice/kernel';
import { FeatureBinner } from './binning';
import { driftReport, featureDrift, resolveDriftThresholds, type DriftReport, type DriftThresholds } from './metrics';
import type { FeatureReference, FeatureValue } from './reference';

export interface LiveWindowOptions {
  /** Width of one time bucket in ms. Default one hour. */
  readonly bucketMs?: number;
  /** Buckets kept: the window spans bucketMs × buckets. Default 24. */
  readonly buckets?: number;
}

export type Timestamp = number | Date;

const toMs = (at: Timestamp): number => (typeof at === 'number' ? at : at.getTime());

/**
 * Rolling-window summary of live feature values in fixed memory: per time bucket, the bin counts of
 * every feature in its reference's layout (a ring of `buckets` slots), plus running totals over the
 * window. Moving to a newer bucket evicts the buckets that fall out of the window; values older than
 * the window are dropped (and counted in `late`).
 */
export class LiveFeatureWindow {
  readonly bucketMs: number;
  readonly bucketCount: number;
  readonly features: readonly FeatureReference[];
  /** Rows (or values) refused because their bucket had already left the window. */
  late = 0;

  private readonly binners: FeatureBinner[];
  /** Offset of each feature's bins in a bucket row; the last entry is the row width. */
  private readonly offsets: Int32Array;
  /** bucketCount × width counts. */
  private readonly counts: Uint32Array;
  private readonly totals: Float64Array;
  /** Scratch counts of one addRows call. */
  private readonly batch: Float64Array;
  private readonly bucketRows: Float64Array;
  private rowsInWindow = 0;
  /** Newest bucket id seen (floor(ms / bucketMs)), or null before the first value. */
  private newest: number | null = null;

  constructor(features: readonly FeatureReference[], options: LiveWindowOptions = {}) {
    this.bucketMs = options.bucketMs ?? 3_600_000;
    this.bucketCount = options.buckets ?? 24;
    if (!(Number.isInteger(this.bucketMs) && this.bucketMs > 0)) throw DomainError.validation('bucketMs', 'must be a positive integer');
    if (!(Number.isInteger(this.bucketCount) && this.bucketCount >= 1 && this.bucketCount <= 10_000)) {
      throw DomainError.validation('buckets', 'must be an integer in [1, 10000]');
    }
    if (features.length === 0) throw DomainError.validation('features', 'needs at least one feature');
    const names = new Set<string>();
    features.forEach((f, i) => {
      if (names.has(f.name)) throw DomainError.validation(`features[${i}].name`, `duplicates ${f.name}`);
      names.add(f.name);
    });
    this.features = features;
    this.binners = features.map((f) => new FeatureBinner(f.reference));
    this.offsets = new Int32Array(features.length + 1);
    this.binners.forEach((binner, f) => {
      this.offsets[f + 1] = (this.offsets[f] as number) + binner.bins;
    });
    const width = this.offsets[features.length] as number;
    this.counts = new Uint32Array(this.bucketCount * width);
    this.totals = new Float64Array(width);
    this.batch = new Float64Array(width);
    this.bucketRows = new Float64Array(this.bucketCount);
  }

  /** Bytes of counts held, whatever the traffic. */
  get memoryBytes(): number {
    return this.counts.byteLength + this.totals.byteLength + this.batch.byteLength + this.bucketRows.byteLength;
  }

  /** Rows added in the window (from addRows). */
  get rows(): number {
    return this.rowsInWindow;
  }

  /** [from, to) in ms of the current window, or null before the first value. */
  get span(): { from: number; to: number } | null {
    if (this.newest === null) return null;
    return { from: (this.newest - this.bucketCount + 1) * this.bucketMs, to: (this.newest + 1) * this.bucketMs };
  }

  /**
   * Adds `rows` rows of a row-major feature matrix (one column per feature, in the order of
   * `features`; NaN = missing) observed at `at`. Returns the rows added (0 when `at` is too old).
   */
  addRows(matrix: Float32Array | Float64Array, at: Timestamp, rows = matrix.length / this.features.length): number {
    const numFeatures = this.features.length;
    if (!Number.isInteger(rows) || rows < 0 || rows * numFeatures > matrix.length) {
      throw DomainError.validation('rows', `${rows} rows of ${numFeatures} features do not fit a matrix of ${matrix.length} values`);
    }
    const slot = this.slotFor(toMs(at));
    if (slot < 0) {
      this.late += rows;
      return 0;
    }
    const width = this.offsets[numFeatures] as number;
    const base = slot * width;
    if (rows * numFeatures < width) {
      // A few rows: bin value by value rather than clear and merge a whole scratch row.
      for (let r = 0; r < rows; r++) {
        for (let f = 0; f < numFeatures; f++) {
          const index = (this.offsets[f] as number) + (this.binners[f] as FeatureBinner).bin(matrix[r * numFeatures + f] as number);
          this.counts[base + index] = (this.counts[base + index] as number) + 1;
          this.totals[index] = (this.totals[index] as number) + 1;
        }
      }
      this.bucketRows[slot] = (this.bucketRows[slot] as number) + rows;
      this.rowsInWindow += rows;
      return rows;
    }
    const batch = this.batch;
    batch.fill(0);
    for (let f = 0; f < numFeatures; f++) {
      (this.binners[f] as FeatureBinner).countColumn(matrix, rows, numFeatures, f, batch, this.offsets[f] as number);
    }
    for (let i = 0; i < width; i++) {
      const c = batch[i] as number;
      if (c !== 0) {
        this.counts[base + i] = (this.counts[base + i] as number) + c;
        this.totals[i] = (this.totals[i] as number) + c;
      }
    }
    this.bucketRows[slot] = (this.bucketRows[slot] as number) + rows;
    this.rowsInWindow += rows;
    return rows;
  }

  /** Adds one value of one feature (by index or name): for string categories, or features logged apart. */
  addValue(feature: number | string, value: FeatureValue, at: Timestamp): boolean {
    const f = typeof feature === 'number' ? feature : this.features.findIndex((x) => x.name === feature);
    if (!(f >= 0 && f < this.features.length)) throw DomainError.validation('feature', `unknown feature ${String(feature)}`);
    const slot = this.slotFor(toMs(at));
    if (slot < 0) {
      this.late++;
      return false;
    }
    const index = (this.offsets[f] as number) + (this.binners[f] as FeatureBinner).bin(value);
    const cell = slot * (this.offsets[this.features.length] as number) + index;
    this.counts[cell] = (this.counts[cell] as number) + 1;
    this.totals[index] = (this.totals[index] as number) + 1;
    return true;
  }

  /** Moves the window so that it ends with the bucket of `now`, evicting older buckets. */
  advanceTo(now: Timestamp): void {
    const id = Math.floor(toMs(now) / this.bucketMs);
    if (this.newest === null) {
      this.newest = id;
      return;
    }
    if (id <= this.newest) return;
    const width = this.offsets[this.features.length] as number;
    const stop = Math.min(id, this.newest + this.bucketCount);
    for (let b = this.newest + 1; b <= stop; b++) {
      const slot = this.slotOf(b);
      const base = slot * width;
      for (let i = 0; i < width; i++) {
        const c = this.counts[base + i] as number;
        if (c !== 0) {
          this.totals[i] = (this.totals[i] as number) - c;
          this.counts[base + i] = 0;
        }
      }
      this.rowsInWindow -= this.bucketRows[slot] as number;
      this.bucketRows[slot] = 0;
    }
    this.newest = id;
  }

  /** Live counts of one feature over the window, in its reference's layout (a copy). */
  liveCounts(feature: number | string): Float64Array {
    const f = typeof feature === 'number' ? feature : this.features.findIndex((x) => x.name === feature);
    if (!(f >= 0 && f < this.features.length)) throw DomainError.validation('feature', `unknown feature ${String(feature)}`);
    return this.totals.slice(this.offsets[f] as number, this.offsets[f + 1] as number);
  }

  /** PSI, KS and verdict of every feature over the window ending at `now` (default: the newest bucket). */
  report(thresholds: Partial<DriftThresholds> = {}, now?: Timestamp): DriftReport {
    if (now !== undefined) this.advanceTo(now);
    const resolved = resolveDriftThresholds(thresholds);
    return driftReport(
      this.features.map((f, i) => featureDrift(f.name, f.reference, this.liveCounts(i), resolved)),
      resolved,
    );
  }

  private slotOf(bucketId: number): number {
    return ((bucketId % this.bucketCount) + this.bucketCount) % this.bucketCount;
  }

  /** Slot for a value at `ms`, advancing the window if it is newer; −1 when older than the window. */
  private slotFor(ms: number): number {
    if (!Number.isFinite(ms)) throw DomainError.validation('at', 'must be a finite time');
    const id = Math.floor(ms / this.bucketMs);
    this.advanceTo(ms);
    if (id <= (this.newest as number) - this.bucketCount) return -1;
    return this.slotOf(id);
  }
}
