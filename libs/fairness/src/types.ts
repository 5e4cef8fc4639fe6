/** One offered or paid price, normalised per SKU. */
export interface PriceObservation {
  /** price / list price of the SKU; finite and > 0. */
  readonly priceIndex: number;
  /** Segment value per declared attribute (e.g. `{ loyaltyTier: 'gold', ageBand: '35-44' }`). A missing attribute leaves the row out of that attribute only. */
  readonly segments: Readonly<Record<string, string>>;
  /** Legitimate strata: by default `storeId`, `skuCode` and `expiryBand` (days-to-expiry band). */
  readonly strata: Readonly<Record<string, string | number>>;
}

/** A declared segment attribute, optionally with its own strata keys. */
export interface AttributeSpec {
  readonly name: string;
  /**
   * Strata keys for this attribute (default: the audit's `strataKeys`). An attribute fixed per store
   * (neighbourhood income band) cannot be compared within a store: drop `storeId` for it.
   */
  readonly strataKeys?: readonly string[];
}

export interface FairnessThresholds {
  /** Fail when the stratified relative gap (max − min) / min exceeds this. Default 0.02. */
  readonly maxStratifiedGap: number;
  /** Fail when the stratified min / max ratio falls below this. Default 0.98; null: not checked. */
  readonly minStratifiedRatio: number | null;
  /** Fail when the raw relative gap exceeds this. Default null: reported, not checked (mix moves it legitimately). */
  readonly maxRawGap: number | null;
  /**
   * Fail when a pair of segments has a KS statistic above this and a p-value below `ksAlpha`.
   * Default null: reported, not checked (KS compares raw distributions, which mix moves legitimately).
   */
  readonly maxKsStatistic: number | null;
  /** Significance level that goes with `maxKsStatistic`. Default 0.01. */
  readonly ksAlpha: number;
  /** A segment with fewer observations (raw, or within the common strata) makes the attribute 'insufficient-data'. Default 30. */
  readonly minObservationsPerSegment: number;
}

export interface BootstrapOptions {
  /** Default 1000. */
  readonly resamples: number;
  /** Default 1. The same seed reproduces every interval bit for bit. */
  readonly seed: number;
  /** Two-sided confidence level of the percentile intervals. Default 0.95. */
  readonly confidence: number;
}

export interface FairnessAuditOptions {
  /** Declared segment attributes (names or specs). */
  readonly attributes: readonly (string | AttributeSpec)[];
  /** Default `['storeId', 'skuCode', 'expiryBand']`. */
  readonly strataKeys?: readonly string[];
  readonly thresholds?: Partial<FairnessThresholds>;
  readonly bootstrap?: Partial<BootstrapOptions>;
}

export type AuditStatus = 'pass' | 'fail' | 'insufficient-data';

export type AuditReasonCode =
  | 'no-observations'
  | 'single-segment'
  | 'too-few-observations'
  | 'no-common-strata'
  | 'thin-common-strata'
  | 'stratified-gap'
  | 'stratified-ratio'
  | 'raw-gap'
  | 'distribution'
  | 'counterfactual';

/** Why an attribute (or the audit) failed or could not be judged. */
export interface AuditReason {
  readonly code: AuditReasonCode;
  readonly message: string;
}

/** Percentile bootstrap interval; null when no resample produced a value. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface SegmentSummary {
  readonly segment: string;
  /** Observations (raw) or observations inside the common strata (stratified). */
  readonly count: number;
  /** Mean price index (raw), or directly standardised mean index (stratified); NaN when count is 0. */
  readonly meanIndex: number;
  readonly ci: Interval | null;
  /** Counts at least `minObservationsPerSegment`: takes part in the gap. */
  readonly eligible: boolean;
}

/** Largest gap between the eligible segments' means. */
export interface GapSummary {
  readonly maxSegment: string;
  readonly minSegment: string;
  /** max − min, in index points (0.01 = one percent of list price). */
  readonly gap: number;
  readonly gapCi: Interval | null;
  /** (max − min) / min. */
  readonly relativeGap: number;
  readonly relativeGapCi: Interval | null;
  /** min / max. */
  readonly ratio: number;
  readonly ratioCi: Interval | null;
}

export interface RawComparison {
  readonly segments: readonly SegmentSummary[];
  readonly gap: GapSummary | null;
}

export interface StratifiedComparison {
  readonly strataKeys: readonly string[];
  /** Distinct strata among the attribute's observations. */
  readonly strata: number;
  /** Strata in which every eligible segment is observed: the standardisation uses only these. */
  readonly commonStrata: number;
  /** Share of the eligible segments' observations that lie in the common strata. */
  readonly coverage: number;
  readonly segments: readonly SegmentSummary[];
  readonly gap: GapSummary | null;
}

export interface DistributionComparison {
  readonly segmentA: string;
  readonly segmentB: string;
  readonly statistic: number;
  readonly pValue: number;
  readonly countA: number;
  readonly countB: number;
}

export interface AttributeAudit {
  readonly attribute: string;
  readonly status: AuditStatus;
  readonly reasons: readonly AuditReason[];
  /** Observations that carry this attribute. */
  readonly observations: number;
  readonly raw: RawComparison;
  readonly stratified: StratifiedComparison;
  /** KS between every pair of eligible segments (raw price-index distributions). */
  readonly distributions: readonly DistributionComparison[];
}

export interface FairnessAudit {
  readonly status: AuditStatus;
  readonly reasons: readonly AuditReason[];
  readonly observations: number;
  readonly attributes: readonly AttributeAudit[];
  readonly thresholds: FairnessThresholds;
  readonly bootstrap: BootstrapOptions;
}
