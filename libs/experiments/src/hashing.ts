/**
 * GrowthBook-compatible hashing and bucketing (GrowthBook JS SDK `src/util.ts`, spec cases in
 * `packages/sdk-js/test/cases.json`). Every function here returns what the SDK returns for the same
 * arguments, so a retailer can cross-check an assignment with a GrowthBook install.
 */

/** A half-open interval `[start, end)` of the unit hash line. */
export type BucketRange = readonly [start: number, end: number];

/** GrowthBook's hashing versions: 1 (original, biased, 1,000 buckets) and 2 (unbiased, 10,000 buckets). */
export type HashVersion = 1 | 2;

/**
 * 32-bit FNV-1a over UTF-16 code units (what GrowthBook's `hashFnv32a` does: `charCodeAt`, not UTF-8
 * bytes, so identical to byte-wise FNV-1a for ASCII ids). Returns an unsigned 32-bit integer.
 */
export function fnv1a32(input: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    // × 16777619 (the FNV prime 2^24 + 2^8 + 0x93) as shifts and adds, as GrowthBook writes it; exact in
    // doubles, and the next `^=` (or the final `>>> 0`) reduces it mod 2^32.
    hash += (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24);
  }
  return hash >>> 0;
}

/**
 * Maps a unit to [0, 1) exactly as GrowthBook's `hash(seed, value, version)`:
 * v1 `(fnv1a32(value + seed) % 1000) / 1000`; v2 `(fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000`.
 */
export function hash(seed: string, value: string, version: HashVersion): number {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  return (fnv1a32(value + seed) % 1000) / 1000;
}

/** `n` equal weights (empty for n ≤ 0), as GrowthBook's `getEqualWeights`. */
export function getEqualWeights(n: number): number[] {
  if (n <= 0) return [];
  return new Array<number>(n).fill(1 / n);
}

export function inRange(n: number, range: BucketRange): boolean {
  return n >= range[0] && n < range[1];
}

/**
 * GrowthBook's `getBucketRanges`: contiguous ranges, one per variation, each starting at the cumulative
 * weight of the variations before it and covering `coverage × weight` of the line. Coverage is clamped to
 * [0, 1]; weights of the wrong length or not summing to 1 ± 0.01 fall back to equal weights (as the SDK
 * does; `experimentProblems` refuses such definitions before they get here).
 */
export function getBucketRanges(numVariations: number, coverage = 1, weights?: readonly number[]): BucketRange[] {
  const clampedCoverage = Math.min(1, Math.max(0, coverage));
  const equal = getEqualWeights(numVariations);
  let used: readonly number[] = weights ?? equal;
  if (used.length !== numVariations) used = equal;
  const total = used.reduce((sum, w) => sum + w, 0);
  if (total < 0.99 || total > 1.01) used = equal;
  let cumulative = 0;
  return used.map((w) => {
    const start = cumulative;
    cumulative += w;
    return [start, start + clampedCoverage * w] as const;
  });
}

/** Index of the range holding `n`, or −1 when `n` falls in no range (outside coverage). */
export function chooseVariation(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    if (inRange(n, ranges[i] as BucketRange)) return i;
  }
  return -1;
}

/** A GrowthBook namespace: `[id, start, end)` of the namespace's own hash line. */
export type Namespace = readonly [id: string, start: number, end: number];

/** Whether a unit falls inside a namespace slice: v1 hash with seed `__` + namespace id, as the SDK. */
export function inNamespace(unitId: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, unitId, 1);
  return n >= namespace[1] && n < namespace[2];
}
