import { DomainError } from '@dynaprice/kernel';
import { encodeObservations, type EncodedAttribute } from './encode';
import { ksFromSorted } from './ks';
import { PoissonSampler, streamSeed } from './poisson-weights';
import type {
  AttributeAudit,
  AttributeSpec,
  AuditReason,
  AuditStatus,
  BootstrapOptions,
  DistributionComparison,
  FairnessAudit,
  FairnessAuditOptions,
  FairnessThresholds,
  GapSummary,
  Interval,
  PriceObservation,
  SegmentSummary,
} from './types';

export const DEFAULT_STRATA_KEYS: readonly string[] = ['storeId', 'skuCode', 'expiryBand'];

export const DEFAULT_FAIRNESS_THRESHOLDS: FairnessThresholds = {
  maxStratifiedGap: 0.02,
  minStratifiedRatio: 0.98,
  maxRawGap: null,
  maxKsStatistic: null,
  ksAlpha: 0.01,
  minObservationsPerSegment: 30,
};

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1, confidence: 0.95 };

/** Defaults filled in and every threshold checked; throws a validation DomainError otherwise. */
export function resolveFairnessThresholds(partial: Partial<FairnessThresholds> = {}): FairnessThresholds {
  const t: FairnessThresholds = { ...DEFAULT_FAIRNESS_THRESHOLDS, ...partial };
  const nonNegative = (field: keyof FairnessThresholds, value: number | null): void => {
    if (value !== null && !(Number.isFinite(value) && value >= 0)) throw DomainError.validation(`thresholds.${field}`, 'must be a finite number ≥ 0');
  };
  nonNegative('maxStratifiedGap', t.maxStratifiedGap);
  nonNegative('maxRawGap', t.maxRawGap);
  nonNegative('maxKsStatistic', t.maxKsStatistic);
  if (t.minStratifiedRatio !== null && !(t.minStratifiedRatio >= 0 && t.minStratifiedRatio <= 1)) {
    throw DomainError.validation('thresholds.minStratifiedRatio', 'must lie in [0, 1]');
  }
  if (!(t.ksAlpha > 0 && t.ksAlpha < 1)) throw DomainError.validation('thresholds.ksAlpha', 'must lie in (0, 1)');
  if (!(Number.isInteger(t.minObservationsPerSegment) && t.minObservationsPerSegment >= 1)) {
    throw DomainError.validation('thresholds.minObservationsPerSegment', 'must be an integer ≥ 1');
  }
  return t;
}

function resolveBootstrap(partial: Partial<BootstrapOptions> = {}): BootstrapOptions {
  const b: BootstrapOptions = { ...DEFAULT_BOOTSTRAP, ...partial };
  if (!(Number.isInteger(b.resamples) && b.resamples >= 0 && b.resamples <= 100_000)) {
    throw DomainError.validation('bootstrap.resamples', 'must be an integer in [0, 100000]');
  }
  if (!Number.isInteger(b.seed)) throw DomainError.validation('bootstrap.seed', 'must be an integer');
  if (!(b.confidence > 0 && b.confidence < 1)) throw DomainError.validation('bootstrap.confidence', 'must lie in (0, 1)');
  return b;
}

function resolveAttributes(options: FairnessAuditOptions): { name: string; strataKeys: readonly string[] }[] {
  const defaultKeys = options.strataKeys ?? DEFAULT_STRATA_KEYS;
  if (options.attributes.length === 0) throw DomainError.validation('attributes', 'declare at least one segment attribute');
  const seen = new Set<string>();
  return options.attributes.map((spec: string | AttributeSpec, i) => {
    const name = typeof spec === 'string' ? spec : spec.name;
    const strataKeys = typeof spec === 'string' ? defaultKeys : (spec.strataKeys ?? defaultKeys);
    if (name.length === 0) throw DomainError.validation(`attributes[${i}]`, 'must be a non-empty name');
    if (seen.has(name)) throw DomainError.validation(`attributes[${i}]`, `duplicates attribute ${name}`);
    seen.add(name);
    return { name, strataKeys: [...strataKeys] };
  });
}

/**
 * Fairness audit of a window of price observations: for every declared attribute, mean price index
 * per segment raw and directly standardised over the common strata, the largest gap and min / max
 * ratio with percentile-bootstrap intervals, pairwise KS on the raw distributions, and a verdict.
 * See the README for the method.
 */
export function auditFairness(observations: readonly PriceObservation[], options: FairnessAuditOptions): FairnessAudit {
  const thresholds = resolveFairnessThresholds(options.thresholds);
  const bootstrap = resolveBootstrap(options.bootstrap);
  const attributes = resolveAttributes(options);
  const audits = encodeObservations(observations, attributes).map((attribute) => {
    const plan = planAttribute(attribute, thresholds.minObservationsPerSegment);
    return attributeAudit(plan, runBootstrap(plan, bootstrap), thresholds, bootstrap.confidence);
  });

  const reasons: AuditReason[] = [];
  if (observations.length === 0) reasons.push({ code: 'no-observations', message: 'no observations in the window: nothing to audit' });
  for (const audit of audits) {
    for (const reason of audit.reasons) reasons.push({ code: reason.code, message: `${audit.attribute}: ${reason.message}` });
  }
  return {
    status: worstStatus(audits.map((audit) => audit.status)),
    reasons,
    observations: observations.length,
    attributes: audits,
    thresholds,
    bootstrap,
  };
}

/** fail beats insufficient-data beats pass. */
export function worstStatus(statuses: readonly AuditStatus[]): AuditStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.length === 0 || statuses.includes('insufficient-data')) return 'insufficient-data';
  return 'pass';
}

// ---------------------------------------------------------------------------------------------
// Plan: eligible segments and the common strata of each attribute.

interface AttributePlan {
  readonly attribute: EncodedAttribute;
  /** Segment codes with at least the minimum count, ascending. */
  readonly eligible: Int32Array;
  /** Slots 0..eligible.length − 1 (the standardised means are indexed by slot). */
  readonly slots: Int32Array;
  /** commonStrata × eligible.length cell ids: the cells of each common stratum, in eligible order. */
  readonly commonCells: Int32Array;
  readonly commonStrata: number;
}

function planAttribute(attribute: EncodedAttribute, minCount: number): AttributePlan {
  const eligibleCodes: number[] = [];
  attribute.segmentCounts.forEach((count, code) => {
    if (count >= minCount) eligibleCodes.push(code);
  });
  const eligible = Int32Array.from(eligibleCodes);
  const slotOf = new Int32Array(attribute.segments.length).fill(-1);
  eligible.forEach((code, slot) => {
    slotOf[code] = slot;
  });
  const numEligible = eligible.length;
  // Cells of each stratum, by eligible slot; keep the strata that have all of them.
  const byStratum = new Map<number, Int32Array>();
  for (let c = 0; c < attribute.cellCount; c++) {
    const slot = slotOf[attribute.cellSegment[c] as number] as number;
    if (slot < 0) continue;
    const stratum = attribute.cellStratum[c] as number;
    let cells = byStratum.get(stratum);
    if (!cells) {
      cells = new Int32Array(numEligible).fill(-1);
      byStratum.set(stratum, cells);
    }
    cells[slot] = c;
  }
  const common: number[] = [];
  if (numEligible >= 2) {
    for (const cells of byStratum.values()) {
      if (cells.every((cell) => cell >= 0)) common.push(...cells);
    }
  }
  return {
    attribute,
    eligible,
    slots: Int32Array.from(eligible.keys()),
    commonCells: Int32Array.from(common),
    commonStrata: numEligible > 0 ? common.length / numEligible : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Estimates from cell sums (weights all 1 for the point estimate, Poisson(1) for a resample).

/** Cell weights (cw) and weighted sums (cwx), and the same per segment. */
interface CellSums {
  readonly cw: Float64Array;
  readonly cwx: Float64Array;
  readonly segW: Float64Array;
  readonly segWX: Float64Array;
}

function cellSums(attribute: EncodedAttribute): CellSums {
  return {
    cw: new Float64Array(attribute.cellCount),
    cwx: new Float64Array(attribute.cellCount),
    segW: new Float64Array(attribute.segments.length),
    segWX: new Float64Array(attribute.segments.length),
  };
}

/** Per-segment raw means (all segments) and standardised means (eligible slots); NaN where undefined. */
function estimate(plan: AttributePlan, sums: CellSums, rawMeans: Float64Array, stdMeans: Float64Array): void {
  const { attribute, commonCells, commonStrata } = plan;
  const { cw, cwx, segW, segWX } = sums;
  const numSegments = attribute.segments.length;
  const numEligible = plan.eligible.length;
  for (let s = 0; s < numSegments; s++) rawMeans[s] = (segW[s] as number) > 0 ? (segWX[s] as number) / (segW[s] as number) : Number.NaN;

  // Direct standardisation: M_s = Σ_k W_k · mean_sk / Σ_k W_k over the common strata, W_k = weight of stratum k
  // (all eligible segments). A stratum left with an empty cell by a resample drops out of that resample.
  stdMeans.fill(0);
  let totalW = 0;
  for (let k = 0; k < commonStrata; k++) {
    const base = k * numEligible;
    let stratumW = 0;
    let complete = true;
    for (let e = 0; e < numEligible; e++) {
      const w = cw[commonCells[base + e] as number] as number;
      if (w === 0) {
        complete = false;
        break;
      }
      stratumW += w;
    }
    if (!complete) continue;
    totalW += stratumW;
    for (let e = 0; e < numEligible; e++) {
      const c = commonCells[base + e] as number;
      stdMeans[e] = (stdMeans[e] as number) + (stratumW * (cwx[c] as number)) / (cw[c] as number);
    }
  }
  for (let e = 0; e < numEligible; e++) stdMeans[e] = totalW > 0 ? (stdMeans[e] as number) / totalW : Number.NaN;
}

interface GapPoint {
  maxSlot: number;
  minSlot: number;
  gap: number;
  relativeGap: number;
  ratio: number;
}

/** Largest gap among `means[slots[i]]` (all finite), or null. */
function gapOf(means: Float64Array, slots: ArrayLike<number>): GapPoint | null {
  if (slots.length < 2) return null;
  let maxSlot = -1;
  let minSlot = -1;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const value = means[slot] as number;
    if (Number.isNaN(value)) return null;
    if (maxSlot < 0 || value > (means[maxSlot] as number)) maxSlot = slot;
    if (minSlot < 0 || value < (means[minSlot] as number)) minSlot = slot;
  }
  const max = means[maxSlot] as number;
  const min = means[minSlot] as number;
  return { maxSlot, minSlot, gap: max - min, relativeGap: (max - min) / min, ratio: min / max };
}

// ---------------------------------------------------------------------------------------------
// Poisson bootstrap: every resample gives each observation an independent Poisson(1) weight, shared
// by the raw and stratified estimates of the attribute (so its gap intervals are joint).

interface BootstrapDraws {
  /** resamples × segments */
  readonly rawMeans: Float64Array;
  /** resamples × eligible */
  readonly stdMeans: Float64Array;
  /** resamples × 3: gap, relativeGap, ratio (NaN when undefined) */
  readonly rawGap: Float64Array;
  readonly stdGap: Float64Array;
}

function runBootstrap(plan: AttributePlan, options: BootstrapOptions): BootstrapDraws {
  const R = options.resamples;
  const { attribute } = plan;
  const numSegments = attribute.segments.length;
  const numEligible = plan.eligible.length;
  const draws: BootstrapDraws = {
    rawMeans: new Float64Array(R * numSegments),
    stdMeans: new Float64Array(R * numEligible),
    rawGap: new Float64Array(R * 3),
    stdGap: new Float64Array(R * 3),
  };
  if (R === 0 || attribute.observations === 0) return draws;

  const { cellCount, cellGroupStart, groupValue, groupCount, cellSegment } = attribute;
  const sums = cellSums(attribute);
  const { cw, cwx, segW, segWX } = sums;
  const raw = new Float64Array(numSegments);
  const std = new Float64Array(numEligible);
  const sampler = new PoissonSampler(streamSeed(options.seed, attribute.name));
  for (let r = 0; r < R; r++) {
    segW.fill(0);
    segWX.fill(0);
    for (let c = 0; c < cellCount; c++) {
      let sw = 0;
      let swx = 0;
      const end = cellGroupStart[c + 1] as number;
      for (let g = cellGroupStart[c] as number; g < end; g++) {
        const count = groupCount[g] as number;
        const w = count === 1 ? sampler.one() : sampler.draw(count);
        sw += w;
        swx += w * (groupValue[g] as number);
      }
      cw[c] = sw;
      cwx[c] = swx;
      const s = cellSegment[c] as number;
      segW[s] = (segW[s] as number) + sw;
      segWX[s] = (segWX[s] as number) + swx;
    }
    estimate(plan, sums, raw, std);
    draws.rawMeans.set(raw, r * numSegments);
    draws.stdMeans.set(std, r * numEligible);
    writeGap(gapOf(raw, plan.eligible), draws.rawGap, r * 3);
    writeGap(gapOf(std, plan.slots), draws.stdGap, r * 3);
  }
  return draws;
}

function writeGap(point: GapPoint | null, into: Float64Array, at: number): void {
  into[at] = point ? point.gap : Number.NaN;
  into[at + 1] = point ? point.relativeGap : Number.NaN;
  into[at + 2] = point ? point.ratio : Number.NaN;
}

/** Percentile interval of column `column` of a row-major `rows × width` matrix, ignoring NaN. */
export function percentileInterval(values: ArrayLike<number>, confidence: number, width = 1, column = 0): Interval | null {
  const rows = Math.floor(values.length / width);
  const finite = new Float64Array(rows);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const v = values[r * width + column] as number;
    if (!Number.isNaN(v)) finite[n++] = v;
  }
  if (n === 0) return null;
  const sorted = finite.subarray(0, n).sort();
  const alpha = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, alpha), high: quantileSorted(sorted, 1 - alpha) };
}

/** Linear interpolation between order statistics (type 7, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

// ---------------------------------------------------------------------------------------------
// Results and verdict of one attribute.

function attributeAudit(
  plan: AttributePlan,
  draws: BootstrapDraws,
  thresholds: FairnessThresholds,
  confidence: number,
): AttributeAudit {
  const { attribute, eligible } = plan;
  const numSegments = attribute.segments.length;
  const numEligible = eligible.length;

  // Point estimates: every weight 1.
  const sums = cellSums(attribute);
  const { cw, cwx, segW, segWX } = sums;
  for (let c = 0; c < attribute.cellCount; c++) {
    const end = attribute.cellStart[c + 1] as number;
    let sum = 0;
    for (let j = attribute.cellStart[c] as number; j < end; j++) sum += attribute.values[j] as number;
    const s = attribute.cellSegment[c] as number;
    cw[c] = end - (attribute.cellStart[c] as number);
    cwx[c] = sum;
    segW[s] = (segW[s] as number) + (cw[c] as number);
    segWX[s] = (segWX[s] as number) + sum;
  }
  const rawMeans = new Float64Array(numSegments);
  const stdMeans = new Float64Array(numEligible);
  estimate(plan, sums, rawMeans, stdMeans);
  const stdCounts = new Int32Array(numEligible);
  for (let k = 0; k < plan.commonStrata; k++) {
    for (let e = 0; e < numEligible; e++) {
      stdCounts[e] = (stdCounts[e] as number) + (cw[plan.commonCells[k * numEligible + e] as number] as number);
    }
  }
  const eligibleSet = new Set(eligible);

  const rawSegments: SegmentSummary[] = attribute.segments.map((segment, s) => ({
    segment,
    count: attribute.segmentCounts[s] as number,
    meanIndex: rawMeans[s] as number,
    ci: percentileInterval(draws.rawMeans, confidence, numSegments, s),
    eligible: eligibleSet.has(s),
  }));
  const stdSegments: SegmentSummary[] = Array.from(eligible, (code, e) => ({
    segment: attribute.segments[code] as string,
    count: stdCounts[e] as number,
    meanIndex: stdMeans[e] as number,
    ci: percentileInterval(draws.stdMeans, confidence, numEligible, e),
    eligible: (stdCounts[e] as number) >= thresholds.minObservationsPerSegment,
  }));
  const rawGapPoint = gapOf(rawMeans, eligible);
  const rawGap = rawGapPoint ? gapSummary(rawGapPoint, (slot) => attribute.segments[slot] as string, draws.rawGap, confidence) : null;
  const stdThin = stdSegments.filter((segment) => !segment.eligible);
  const stdGapPoint = stdThin.length === 0 ? gapOf(stdMeans, plan.slots) : null;
  const stdGap = stdGapPoint
    ? gapSummary(stdGapPoint, (slot) => attribute.segments[eligible[slot] as number] as string, draws.stdGap, confidence)
    : null;
  const eligibleRows = stdSegments.reduce((sum, _s, e) => sum + (attribute.segmentCounts[eligible[e] as number] as number), 0);
  const coverage = eligibleRows > 0 ? stdSegments.reduce((sum, segment) => sum + segment.count, 0) / eligibleRows : 0;

  const distributions = pairwiseKs(plan);

  // Verdict.
  const failures: AuditReason[] = [];
  const gaps: AuditReason[] = [];
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const pairLabel = (gap: GapSummary): string => `${gap.maxSegment} vs ${gap.minSegment}`;
  if (attribute.observations === 0) gaps.push({ code: 'no-observations', message: 'no observation carries this attribute' });
  else if (numSegments < 2) gaps.push({ code: 'single-segment', message: `only one segment observed (${attribute.segments[0] ?? ''})` });
  const thinRaw = rawSegments.filter((segment) => !segment.eligible);
  if (thinRaw.length > 0) {
    gaps.push({
      code: 'too-few-observations',
      message: `fewer than ${thresholds.minObservationsPerSegment} observations in ${thinRaw.map((s) => `${s.segment} (${s.count})`).join(', ')}`,
    });
  }
  if (numEligible >= 2 && plan.commonStrata === 0) {
    gaps.push({ code: 'no-common-strata', message: `no stratum (${attribute.strataKeys.join(' × ')}) holds every segment: no stratified comparison` });
  } else if (numEligible >= 2 && stdThin.length > 0) {
    gaps.push({
      code: 'thin-common-strata',
      message: `fewer than ${thresholds.minObservationsPerSegment} observations within the ${plan.commonStrata} common strata in ${stdThin
        .map((s) => `${s.segment} (${s.count})`)
        .join(', ')}`,
    });
  }
  if (stdGap && stdGap.relativeGap > thresholds.maxStratifiedGap) {
    failures.push({
      code: 'stratified-gap',
      message: `stratified gap ${pct(stdGap.relativeGap)} (${pairLabel(stdGap)}) exceeds ${pct(thresholds.maxStratifiedGap)}`,
    });
  }
  if (stdGap && thresholds.minStratifiedRatio !== null && stdGap.ratio < thresholds.minStratifiedRatio) {
    failures.push({
      code: 'stratified-ratio',
      message: `stratified min/max ratio ${stdGap.ratio.toFixed(4)} (${pairLabel(stdGap)}) is below ${thresholds.minStratifiedRatio}`,
    });
  }
  if (rawGap && thresholds.maxRawGap !== null && rawGap.relativeGap > thresholds.maxRawGap) {
    failures.push({ code: 'raw-gap', message: `raw gap ${pct(rawGap.relativeGap)} (${pairLabel(rawGap)}) exceeds ${pct(thresholds.maxRawGap)}` });
  }
  if (thresholds.maxKsStatistic !== null) {
    for (const pair of distributions) {
      if (pair.statistic > thresholds.maxKsStatistic && pair.pValue < thresholds.ksAlpha) {
        failures.push({
          code: 'distribution',
          message: `KS ${pair.segmentA} vs ${pair.segmentB}: D = ${pair.statistic.toFixed(4)} > ${thresholds.maxKsStatistic} (p = ${pair.pValue.toPrecision(3)})`,
        });
      }
    }
  }
  const status: AuditStatus = failures.length > 0 ? 'fail' : gaps.length > 0 ? 'insufficient-data' : 'pass';
  return {
    attribute: attribute.name,
    status,
    reasons: [...failures, ...gaps],
    observations: attribute.observations,
    raw: { segments: rawSegments, gap: rawGap },
    stratified: {
      strataKeys: attribute.strataKeys,
      strata: attribute.strata,
      commonStrata: plan.commonStrata,
      coverage,
      segments: stdSegments,
      gap: stdGap,
    },
    distributions,
  };
}

function gapSummary(point: GapPoint, label: (slot: number) => string, draws: Float64Array, confidence: number): GapSummary {
  return {
    maxSegment: label(point.maxSlot),
    minSegment: label(point.minSlot),
    gap: point.gap,
    gapCi: percentileInterval(draws, confidence, 3, 0),
    relativeGap: point.relativeGap,
    relativeGapCi: percentileInterval(draws, confidence, 3, 1),
    ratio: point.ratio,
    ratioCi: percentileInterval(draws, confidence, 3, 2),
  };
}

function pairwiseKs(plan: AttributePlan): DistributionComparison[] {
  const { attribute, eligible } = plan;
  const slotOf = new Int32Array(attribute.segments.length).fill(-1);
  eligible.forEach((code, slot) => {
    slotOf[code] = slot;
  });
  const samples = Array.from(eligible, (code) => new Float64Array(attribute.segmentCounts[code] as number));
  const filled = new Int32Array(eligible.length);
  for (let c = 0; c < attribute.cellCount; c++) {
    const slot = slotOf[attribute.cellSegment[c] as number] as number;
    if (slot < 0) continue;
    const cellValues = attribute.values.subarray(attribute.cellStart[c] as number, attribute.cellStart[c + 1] as number);
    (samples[slot] as Float64Array).set(cellValues, filled[slot] as number);
    filled[slot] = (filled[slot] as number) + cellValues.length;
  }
  for (const sample of samples) sample.sort();
  const pairs: DistributionComparison[] = [];
  for (let x = 0; x < eligible.length; x++) {
    for (let y = x + 1; y < eligible.length; y++) {
      const result = ksFromSorted(samples[x] as Float64Array, samples[y] as Float64Array);
      pairs.push({
        segmentA: attribute.segments[eligible[x] as number] as string,
        segmentB: attribute.segments[eligible[y] as number] as string,
        statistic: result.statistic,
        pValue: result.pValue,
        countA: result.countA,
        countB: result.countB,
      });
    }
  }
  return pairs;
}
