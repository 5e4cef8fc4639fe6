import { covariance, summarize } from './descriptive';
import type { MetricEstimate, RatioUnit } from './ratio';

/** θ = cov(Y, X) / var(X): the CUPED coefficient of a pre-period covariate X (Deng, Xu, Kohavi & Walker 2013). 0 when X is constant. */
export function cupedTheta(y: readonly number[], x: readonly number[]): number {
  const varianceX = summarize(x).variance;
  return varianceX === 0 ? 0 : covariance(y, x) / varianceX;
}

/** CUPED-adjusted values Y′ = Y − θ (X − x̄); x̄ defaults to the sample's own mean. Same mean, lower variance when X and Y correlate. */
export function cupedAdjust(y: readonly number[], x: readonly number[], theta: number, centre = summarize(x).mean): number[] {
  if (x.length !== y.length) throw new RangeError(`samples differ in length (${y.length} vs ${x.length})`);
  return y.map((value, i) => value - theta * ((x[i] as number) - centre));
}

/** A ratio-metric unit with its pre-period covariate (e.g. the store's margin in the weeks before the experiment). */
export interface CupedUnit extends RatioUnit {
  covariate: number;
  /**
   * The pre-period denominator (e.g. pre-period exposures). When every unit has one, the covariate is the
   * pre-period ratio metric, linearised like the metric itself: Z = (c − R_pre d) / d̄ with R_pre = Σc / Σd
   * over all arms. This is what makes CUPED work for ratio metrics, whose unit-to-unit variation is in the
   * ratio, not in the size of the unit.
   */
  covariateDenominator?: number;
}

export interface CupedRatioResult {
  /** The pooled θ applied to every arm. */
  theta: number;
  /** Per arm, in input order: CUPED-adjusted estimate and its variance. */
  adjusted: MetricEstimate[];
  /** Per arm: the plain delta-method estimate, for comparison. */
  unadjusted: MetricEstimate[];
}

/**
 * CUPED for ratio metrics (Σy / Σx per arm). Each unit's delta-method influence value
 * L = (y − R x) / x̄ is regressed on its pre-period covariate Z with one θ pooled over the arms
 * (within-arm centring, so a treatment effect does not leak into θ); see `covariateDenominator` for a
 * pre-period ratio covariate:
 * R̂′ = R̂ − θ (Z̄_arm − Z̄_all), Var(R̂′) = var(L − θ (Z − Z̄_arm)) / n.
 * With every denominator 1 this is textbook CUPED on a mean.
 */
export function cupedRatioEstimates(arms: readonly (readonly CupedUnit[])[]): CupedRatioResult {
  const all = arms.flat();
  const linearise = all.length > 0 && all.every((unit) => unit.covariateDenominator !== undefined);
  let covariateOf = (unit: CupedUnit): number => unit.covariate;
  if (linearise) {
    const sumC = all.reduce((sum, unit) => sum + unit.covariate, 0);
    const sumD = all.reduce((sum, unit) => sum + (unit.covariateDenominator ?? 0), 0);
    if (sumD > 0) {
      const preRatio = sumC / sumD;
      const meanD = sumD / all.length;
      covariateOf = (unit) => (unit.covariate - preRatio * (unit.covariateDenominator ?? 0)) / meanD;
    }
  }
  const prepared = arms.map((units) => {
    const n = units.length;
    let sumY = 0;
    let sumX = 0;
    let sumZ = 0;
    for (const unit of units) {
      sumY += unit.numerator;
      sumX += unit.denominator;
      sumZ += covariateOf(unit);
    }
    if (n < 2 || sumX === 0) throw new RangeError('each arm needs at least two units and a positive denominator total');
    const ratio = sumY / sumX;
    const meanX = sumX / n;
    const meanZ = sumZ / n;
    const influence = units.map((unit) => (unit.numerator - ratio * unit.denominator) / meanX);
    const centredZ = units.map((unit) => covariateOf(unit) - meanZ);
    return { n, ratio, sumZ, influence, centredZ };
  });
  let sxz = 0;
  let szz = 0;
  let total = 0;
  let totalZ = 0;
  for (const arm of prepared) {
    for (let i = 0; i < arm.n; i++) {
      sxz += (arm.influence[i] as number) * (arm.centredZ[i] as number);
      szz += (arm.centredZ[i] as number) ** 2;
    }
    total += arm.n;
    totalZ += arm.sumZ;
  }
  const theta = szz === 0 ? 0 : sxz / szz;
  const meanZAll = totalZ / total;
  const adjusted: MetricEstimate[] = [];
  const unadjusted: MetricEstimate[] = [];
  for (const arm of prepared) {
    const residuals = arm.influence.map((value, i) => value - theta * (arm.centredZ[i] as number));
    const meanZArm = arm.sumZ / arm.n;
    unadjusted.push({ n: arm.n, estimate: arm.ratio, variance: summarize(arm.influence).variance / arm.n });
    adjusted.push({ n: arm.n, estimate: arm.ratio - theta * (meanZArm - meanZAll), variance: summarize(residuals).variance / arm.n });
  }
  return { theta, adjusted, unadjusted };
}
