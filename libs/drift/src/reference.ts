import { DomainError, type FieldProblem } from '@dynaprice/kernel';

/**
 * Training distribution of a numeric feature, as a model card stores it.
 * Bin i holds edges[i − 1] < x ≤ edges[i] (bin 0 is x ≤ edges[0], the last bin x > edges[n − 1]).
 */
export interface NumericReference {
  readonly kind: 'numeric';
  /** Inner bin edges: finite, strictly increasing (typically training quantiles). */
  readonly edges: readonly number[];
  /** Share of the non-missing training rows in each bin: edges.length + 1 values summing to 1. */
  readonly proportions: readonly number[];
  /** Share of all training rows that were missing (NaN). */
  readonly missingShare: number;
  /** Training rows behind the shares (informational). */
  readonly rows?: number;
}

/** Training distribution of a categorical feature (numeric codes or string labels). */
export interface CategoricalReference {
  readonly kind: 'categorical';
  /** Distinct categories; a value outside them counts as "other". */
  readonly categories: readonly number[] | readonly string[];
  /** Share of the non-missing training rows per category, in the order of `categories`. */
  readonly proportions: readonly number[];
  /** Share of the non-missing training rows outside `categories`; proportions + otherShare = 1. */
  readonly otherShare: number;
  /** Share of all training rows that were missing (NaN, null or undefined). */
  readonly missingShare: number;
  readonly rows?: number;
}

export type ReferenceDistribution = NumericReference | CategoricalReference;

/** A model feature and its reference distribution. */
export interface FeatureReference {
  readonly name: string;
  readonly reference: ReferenceDistribution;
}

/** A live or categorical value: numbers (NaN = missing), strings, or null / undefined (missing). */
export type FeatureValue = number | string | null | undefined;

const SHARE_TOLERANCE = 1e-6;

/**
 * Number of bins of a reference in the common layout every count and share vector uses:
 * numeric — one per value bin, then missing; categorical — one per category, then other, then missing.
 */
export function binCount(reference: ReferenceDistribution): number {
  return reference.kind === 'numeric' ? reference.edges.length + 2 : reference.categories.length + 2;
}

/** Shares of all rows in the common layout (the non-missing shares scaled by 1 − missingShare). */
export function referenceShares(reference: ReferenceDistribution): Float64Array {
  const shares = new Float64Array(binCount(reference));
  const present = 1 - reference.missingShare;
  reference.proportions.forEach((p, i) => {
    shares[i] = p * present;
  });
  if (reference.kind === 'categorical') shares[reference.categories.length] = reference.otherShare * present;
  shares[shares.length - 1] = reference.missingShare;
  return shares;
}

/** What is wrong with a reference (empty when it is valid); fields are prefixed with `prefix`. */
export function referenceProblems(reference: ReferenceDistribution, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field: `${prefix}${field}`, message });
  };
  const isShare = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!isShare(reference.missingShare)) problem('missingShare', 'must lie in [0, 1]');
  reference.proportions.forEach((p, i) => {
    if (!isShare(p)) problem(`proportions[${i}]`, 'must lie in [0, 1]');
  });
  let total = reference.proportions.reduce((sum, p) => sum + p, 0);
  if (reference.kind === 'numeric') {
    reference.edges.forEach((edge, i) => {
      if (!Number.isFinite(edge)) problem(`edges[${i}]`, 'must be finite');
      else if (i > 0 && !(edge > (reference.edges[i - 1] as number))) problem(`edges[${i}]`, 'must exceed the previous edge');
    });
    if (reference.proportions.length !== reference.edges.length + 1) {
      problem('proportions', `needs edges.length + 1 = ${reference.edges.length + 1} values, got ${reference.proportions.length}`);
    }
  } else {
    if (!isShare(reference.otherShare)) problem('otherShare', 'must lie in [0, 1]');
    total += reference.otherShare;
    if (reference.proportions.length !== reference.categories.length) {
      problem('proportions', `needs one value per category (${reference.categories.length}), got ${reference.proportions.length}`);
    }
    const seen = new Set<number | string>();
    const kinds = new Set<string>();
    reference.categories.forEach((category: number | string, i: number) => {
      kinds.add(typeof category);
      if (typeof category === 'number' && !Number.isFinite(category)) problem(`categories[${i}]`, 'must be finite');
      if (seen.has(category)) problem(`categories[${i}]`, `duplicates ${String(category)}`);
      seen.add(category);
    });
    if (kinds.size > 1) problem('categories', 'must be all numbers or all strings');
  }
  // Shares of the non-missing rows sum to 1 — or to 0 when every training row was missing.
  const allMissing = reference.missingShare === 1 && total === 0;
  if (!allMissing && Math.abs(total - 1) > SHARE_TOLERANCE) problem('proportions', `must sum to 1 with the other share, got ${total}`);
  return problems;
}

/** Throws a validation DomainError listing every problem of the reference. */
export function assertValidReference(reference: ReferenceDistribution, prefix = ''): void {
  const problems = referenceProblems(reference, prefix);
  if (problems.length > 0) {
    throw new DomainError('VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
}

/**
 * Numeric reference from a training sample: up to `bins` quantile bins (fewer when values repeat),
 * edge k the smallest sample value with at least k/bins of the values at or below it. NaN is missing.
 * Build it from the values the model sees (Float32 features: pass the Float32Array) so that live
 * values compare to the edges exactly as the training rows did.
 */
export function referenceFromSample(values: ArrayLike<number>, bins = 10): NumericReference {
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= 1000)) throw DomainError.validation('bins', 'must be an integer in [1, 1000]');
  if (values.length === 0) throw DomainError.validation('values', 'needs at least one value');
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) present.push(v);
  }
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  const edges: number[] = [];
  for (let k = 1; k < bins && n > 0; k++) {
    const edge = sorted[Math.ceil((k * n) / bins) - 1] as number;
    const last = edges.length > 0 ? (edges[edges.length - 1] as number) : -Infinity;
    if (Number.isFinite(edge) && edge > last && edge < (sorted[n - 1] as number)) edges.push(edge);
  }
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    while (bin < edges.length && v > (edges[bin] as number)) bin++;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return {
    kind: 'numeric',
    edges,
    proportions: counts.map((c) => (n > 0 ? c / n : 0)),
    missingShare: (values.length - n) / values.length,
    rows: values.length,
  };
}

/**
 * Categorical reference from a training sample: the `maxCategories` most frequent values (ties: the
 * smaller value) in ascending order, the rest as "other". NaN, null and undefined are missing.
 */
export function categoricalReferenceFromSample(values: ArrayLike<FeatureValue>, maxCategories = 50): CategoricalReference {
  if (!(Number.isInteger(maxCategories) && maxCategories >= 1)) throw DomainError.validation('maxCategories', 'must be an integer ≥ 1');
  if (values.length === 0) throw DomainError.validation('values', 'needs at least one value');
  const counts = new Map<number | string, number>();
  let present = 0;
  let kind: 'number' | 'string' | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    const type = typeof v === 'number' ? 'number' : 'string';
    if (kind !== null && type !== kind) throw DomainError.validation(`values[${i}]`, `mixes ${type} with ${kind} categories`);
    kind = type;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    present++;
  }
  const order = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);
  const kept = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || order(a[0], b[0]))
    .slice(0, maxCategories)
    .sort((a, b) => order(a[0], b[0]));
  const keptRows = kept.reduce((sum, [, count]) => sum + count, 0);
  const categories = kept.map(([category]) => category);
  return {
    kind: 'categorical',
    categories: kind === 'string' ? (categories as string[]) : (categories as number[]),
    proportions: kept.map(([, count]) => count / present),
    otherShare: present > 0 ? (present - keptRows) / present : 0,
    missingShare: (values.length - present) / values.length,
    rows: values.length,
  };
}

/**
 * The reference-distribution shape the built-in trainer (libs/gbdt) writes today:
 * `edges` are the inner edges (numeric) or category codes (categorical, with a trailing "other"
 * proportion when proportions.length = edges.length + 1), `missing` the missing share.
 */
export interface CardReferenceLike {
  readonly type: 'numeric' | 'categorical';
  readonly edges: readonly number[];
  readonly proportions: readonly number[];
  readonly missing: number;
  readonly rows?: number;
}

/** Converts a card reference of the trainer's current shape, validating it. */
export function referenceFromCard(card: CardReferenceLike): ReferenceDistribution {
  const reference: ReferenceDistribution =
    card.type === 'numeric'
      ? { kind: 'numeric', edges: [...card.edges], proportions: [...card.proportions], missingShare: card.missing, rows: card.rows }
      : {
          kind: 'categorical',
          categories: [...card.edges],
          proportions: card.proportions.slice(0, card.edges.length),
          otherShare: card.proportions.length > card.edges.length ? (card.proportions[card.edges.length] as number) : 0,
          missingShare: card.missing,
          rows: card.rows,
        };
  assertValidReference(reference);
  return reference;
}
