/**
 * Daily demand of one store × SKU is negative binomial with mean μ and size r (variance μ + μ²/r;
 * r = Infinity is Poisson). Draws use the inverse CDF of one uniform, so with common random
 * numbers a lower price never draws less demand than a higher one.
 */

/** Below this log-probability of zero demand, e^logP underflows: walk the probabilities in log space. */
const LOG_SPACE_BELOW = -700;

/** Walks P(D = 0), P(D = 1), … for a negative binomial (or Poisson) demand. */
class DemandPmf {
  private readonly poisson: boolean;
  private readonly q: number;
  private readonly logSpace: boolean;
  private logP: number;
  /** P(D = k) for the current k. */
  p: number;
  k = 0;

  constructor(
    private readonly mean: number,
    private readonly size: number,
  ) {
    this.poisson = !Number.isFinite(size);
    this.q = this.poisson ? 0 : mean / (size + mean);
    this.logP = this.poisson ? -mean : size * Math.log1p(-this.q);
    this.logSpace = this.logP < LOG_SPACE_BELOW;
    this.p = Math.exp(this.logP);
  }

  /** Advances to k + 1 and returns P(D = k + 1). */
  advance(): number {
    const k = this.k;
    const ratio = this.poisson ? this.mean / (k + 1) : (this.q * (k + this.size)) / (k + 1);
    if (this.logSpace) {
      this.logP += Math.log(ratio);
      this.p = Math.exp(this.logP);
    } else {
      this.p *= ratio;
    }
    this.k = k + 1;
    return this.p;
  }
}

function checkSize(size: number): void {
  if (!(size > 0)) throw new RangeError('demand size (dispersion) must be positive');
}

/** The `u`-quantile (u in [0, 1)) of demand with this mean and size. */
export function demandQuantile(mean: number, size: number, u: number): number {
  checkSize(size);
  if (!(mean > 0)) return 0;
  const variance = Number.isFinite(size) ? mean + (mean * mean) / size : mean;
  const limit = Math.ceil(mean + 20 * Math.sqrt(variance) + 20);
  const pmf = new DemandPmf(mean, size);
  let cdf = pmf.p;
  while (cdf <= u && pmf.k < limit) cdf += pmf.advance();
  return pmf.k;
}

export interface CensoredDemand {
  /** E[min(D, stock)]: expected units sold when demand D is censored by stock. */
  unitsSold: number;
  /** E[max(0, expiring − D)]: expected expiring units left unsold (sales take them first, FIFO). */
  unsoldExpiring: number;
}

/**
 * Expectations of demand against stock: E[min(D, s)] = Σ_{k<s} P(D > k) and
 * E[max(0, e − D)] = Σ_{k<e} P(D ≤ k), for e ≤ s expiring units sold first.
 */
export function censoredDemand(mean: number, size: number, stock: number, expiring: number): CensoredDemand {
  checkSize(size);
  const s = Math.max(0, Math.floor(stock));
  const e = Math.min(s, Math.max(0, Math.floor(expiring)));
  if (!(mean > 0)) return { unitsSold: 0, unsoldExpiring: e };
  const pmf = new DemandPmf(mean, size);
  let cdf = pmf.p;
  let unitsSold = 0;
  let unsoldExpiring = 0;
  for (let k = 0; k < s; k++) {
    // Here cdf = P(D ≤ k).
    unitsSold += Math.max(0, 1 - cdf);
    if (k < e) unsoldExpiring += cdf;
    if (1 - cdf < 1e-12) {
      // Demand is surely at most k: the remaining P(D > j) add nothing, each remaining P(D ≤ j) adds 1.
      if (k + 1 < e) unsoldExpiring += e - (k + 1);
      break;
    }
    cdf += pmf.advance();
  }
  return { unitsSold, unsoldExpiring };
}
