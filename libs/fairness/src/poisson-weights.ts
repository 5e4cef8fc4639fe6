/**
 * Poisson bootstrap weights, fast and seeded.
 *
 * The generator is xorshift32 with a multiplicative output scramble (period 2^32 − 1); one step
 * gives two Poisson(1) weights, each looked up from 16 random bits in an inverse-CDF table, so
 * P(w = k) differs from e^{−1}/k! by less than 2^{−16}, far below bootstrap noise.
 *
 * A group of m equal values needs only the sum of its m weights, which is Poisson(m) (additivity):
 * m table draws for m < 16, else one draw by binary search on the CDF of Poisson(m) for m ≤ 64, a
 * sum of Poisson(64) chunks above.
 */
const TABLE_SIZE = 1 << 16;
const MAX_TABLE_MEAN = 64;
/**
 * Smallest group worth one Poisson(m) draw: below it, m table draws (half a generator step each,
 * no unpredictable branch) are faster, so callers keep such values as singletons.
 */
export const MIN_POISSON_GROUP = 16;

/** Weight for each 16-bit value u: the smallest k with P(W ≤ k) > (u + 0.5) / 2^16, W ~ Poisson(1). */
export const POISSON_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(TABLE_SIZE);
  let k = 0;
  let p = Math.exp(-1);
  let cdf = p;
  for (let u = 0; u < TABLE_SIZE; u++) {
    const level = (u + 0.5) / TABLE_SIZE;
    while (level >= cdf && k < 254) {
      k++;
      p /= k;
      cdf += p;
    }
    table[u] = k;
  }
  return table;
})();

/** CDF of Poisson(m), m = 0..64, up to 1 − 1e−13. */
const POISSON_CDFS: readonly Float64Array[] = Array.from({ length: MAX_TABLE_MEAN + 1 }, (_, m) => {
  const cdf: number[] = [];
  let p = Math.exp(-m);
  let sum = 0;
  for (let k = 0; sum < 1 - 1e-13 && k < 4 * m + 40; k++) {
    sum += p;
    cdf.push(sum);
    p *= m / (k + 1);
  }
  return Float64Array.from(cdf);
});

/** Mixes a seed and a label (FNV-1a) into a non-zero 32-bit state, so each stream is independent of the others' order. */
export function streamSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 0x9e3779b9;
}

export class PoissonSampler {
  private state: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  private bits(): number {
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s >>> 0;
    return Math.imul(this.state, 0x9e3779bb) >>> 0;
  }

  /** A Poisson(1) draw. */
  one(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return POISSON_TABLE[this.spare] as number;
    }
    const bits = this.bits();
    this.spare = bits >>> 16;
    this.hasSpare = true;
    return POISSON_TABLE[bits & 0xffff] as number;
  }

  /** A Poisson(mean) draw for an integer mean ≥ 0. */
  draw(mean: number): number {
    if (mean < MIN_POISSON_GROUP) {
      let total = 0;
      for (let i = 0; i < mean; i++) total += this.one();
      return total;
    }
    let remaining = mean;
    let total = 0;
    while (remaining > 0) {
      const chunk = remaining > MAX_TABLE_MEAN ? MAX_TABLE_MEAN : remaining;
      remaining -= chunk;
      total += chunk === 1 ? this.one() : this.fromCdf(POISSON_CDFS[chunk] as Float64Array);
    }
    return total;
  }

  /** Smallest k with cdf[k] > u (binary search). */
  private fromCdf(cdf: Float64Array): number {
    const u = this.bits() / 4294967296;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
