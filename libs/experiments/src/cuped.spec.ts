import { SeededRandom } from '@dynaprice/kernel';
import { summarize } from './descriptive';
import { cupedAdjust, cupedRatioEstimates, cupedTheta, type CupedUnit } from './cuped';
import { compareEstimates } from './ratio';

describe(cupedTheta.name, () => {
  it('is cov(Y, X) / var(X), as NumPy computes it', () => {
    // np.cov(y, x)[0, 1] / np.var(x, ddof=1) = 0.9751552795031057
    expect(cupedTheta([10, 12, 9, 15, 11, 14], [8, 11, 7, 13, 10, 12])).toBeCloseTo(0.9751552795031057, 14);
  });

  it('is 0 for a constant covariate', () => {
    expect(cupedTheta([1, 2, 3], [5, 5, 5])).toBe(0);
  });
});

describe(cupedAdjust.name, () => {
  const random = new SeededRandom(7);
  // Pre-period X ~ N(100, 20²), Y = 5 + 0.9 X + N(0, 10²): ρ² = 0.9²·400 / (0.81·400 + 100) ≈ 0.764.
  const x = Array.from({ length: 5000 }, () => random.normal(100, 20));
  const y = x.map((value) => 5 + 0.9 * value + random.normal(0, 10));

  it('keeps the mean and removes about ρ² of the variance on correlated synthetic data', () => {
    const adjusted = cupedAdjust(y, x, cupedTheta(y, x));
    const before = summarize(y);
    const after = summarize(adjusted);
    expect(after.mean).toBeCloseTo(before.mean, 9);
    const reduction = 1 - after.variance / before.variance;
    expect(reduction).toBeGreaterThan(0.73);
    expect(reduction).toBeLessThan(0.8);
  });

  it('removes nothing when the covariate is unrelated', () => {
    const noise = x.map(() => random.normal(0, 1));
    const adjusted = cupedAdjust(y, noise, cupedTheta(y, noise));
    expect(1 - summarize(adjusted).variance / summarize(y).variance).toBeLessThan(0.005);
  });
});

describe(cupedRatioEstimates.name, () => {
  it('is textbook CUPED on a mean when every denominator is 1', () => {
    const t = [10, 12, 9, 15, 11, 14];
    const tx = [8, 11, 7, 13, 10, 12];
    const c = [9, 8, 12, 10, 7];
    const cx = [9, 8, 11, 10, 6];
    const toUnits = (ys: number[], xs: number[]): CupedUnit[] => ys.map((numerator, i) => ({ numerator, denominator: 1, covariate: xs[i] as number }));
    const result = cupedRatioEstimates([toUnits(t, tx), toUnits(c, cx)]);
    // θ from within-arm centred data, pooled.
    const centred = (xs: number[]) => xs.map((v) => v - summarize(xs).mean);
    const centredY = [...centred(t), ...centred(c)];
    const centredX = [...centred(tx), ...centred(cx)];
    const theta = centredY.reduce((s, v, i) => s + v * (centredX[i] as number), 0) / centredX.reduce((s, v) => s + v * v, 0);
    expect(result.theta).toBeCloseTo(theta, 12);
    const meanAll = summarize([...tx, ...cx]).mean;
    expect(result.adjusted[0]!.estimate).toBeCloseTo(summarize(t).mean - theta * (summarize(tx).mean - meanAll), 12);
    expect(result.adjusted[0]!.variance).toBeCloseTo(summarize(cupedAdjust(t, tx, theta)).variance / t.length, 12);
    expect(result.unadjusted[1]!.variance).toBeCloseTo(summarize(c).variance / c.length, 12);
  });

  it('narrows the lift interval of margin per exposure when the pre-period margin per exposure predicts the store', () => {
    const random = new SeededRandom(99);
    // A store's size drives its exposures; its location quality q drives margin per exposure in both periods.
    const store = (rate: number): CupedUnit => {
      const size = random.uniform(0.5, 2);
      const quality = 1 + random.normal(0, 0.15);
      const covariateDenominator = Math.round(400 * size * random.uniform(0.9, 1.1)); // pre-period exposures
      const covariate = 3 * covariateDenominator * quality + random.normal(0, 20); // pre-period margin
      const denominator = Math.round(400 * size);
      const numerator = rate * denominator * quality + random.normal(0, 20);
      return { numerator, denominator, covariate, covariateDenominator };
    };
    const treatment = Array.from({ length: 120 }, () => store(3.3));
    const control = Array.from({ length: 120 }, () => store(3.0));
    const result = cupedRatioEstimates([treatment, control]);
    const plain = compareEstimates(result.unadjusted[0]!, result.unadjusted[1]!).relative!;
    const cuped = compareEstimates(result.adjusted[0]!, result.adjusted[1]!).relative!;
    expect(result.theta).toBeGreaterThan(0);
    expect(1 - (cuped.standardError / plain.standardError) ** 2).toBeGreaterThan(0.5);
    expect(cuped.confidenceInterval[0]).toBeLessThan(0.1);
    expect(cuped.confidenceInterval[1]).toBeGreaterThan(0.1);
  });

  it('falls back to the plain delta-method estimates when the covariate is constant', () => {
    const units = (rate: number): CupedUnit[] => [10, 20, 30, 40].map((denominator, i) => ({ numerator: rate * denominator + i, denominator, covariate: 5 }));
    const result = cupedRatioEstimates([units(3.3), units(3)]);
    expect(result.theta).toBe(0);
    expect(result.adjusted).toEqual(result.unadjusted);
  });
});
