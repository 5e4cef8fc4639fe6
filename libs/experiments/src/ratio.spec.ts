import fc from 'fast-check';
import { summarize } from './descriptive';
import { compareEstimates, meanEstimate, ratioEstimate, type RatioUnit } from './ratio';
import { normalStream, uniformStream } from './spec-support';

// Reference values computed independently with NumPy 2.x (python3):
//   R = y.sum() / x.sum()
//   v = (np.var(y, ddof=1) - 2*R*np.cov(y, x)[0, 1] + R*R*np.var(x, ddof=1)) / (n * x.mean()**2)
//   lift = R2/R - 1;  var_lift = v2/R**2 + R2**2 * v / R**4
const control: RatioUnit[] = [
  [120, 40],
  [95, 30],
  [143, 50],
  [80, 28],
  [110, 35],
  [132, 45],
].map(([numerator, denominator]) => ({ numerator: numerator as number, denominator: denominator as number }));
const treatment: RatioUnit[] = [
  [130, 41],
  [101, 31],
  [150, 49],
  [92, 30],
  [118, 36],
  [141, 44],
  [99, 33],
].map(([numerator, denominator]) => ({ numerator: numerator as number, denominator: denominator as number }));

describe(ratioEstimate.name, () => {
  it('gives Σy / Σx with the delta-method variance computed in NumPy', () => {
    const estimate = ratioEstimate(control);
    expect(estimate.estimate).toBeCloseTo(2.982456140350877, 14);
    expect(estimate.variance).toBeCloseTo(0.002706294741730321, 15);
    expect(ratioEstimate(treatment).variance).toBeCloseTo(0.0014798254307728067, 15);
  });

  it('reduces to the variance of a mean when every denominator is 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 }), (values) => {
        const ratio = ratioEstimate(values.map((numerator) => ({ numerator, denominator: 1 })));
        const plain = meanEstimate(summarize(values));
        return Math.abs(ratio.estimate - plain.estimate) < 1e-9 && Math.abs(ratio.variance - plain.variance) <= 1e-9 * Math.max(1, plain.variance);
      }),
    );
  });

  it('refuses units without any denominator', () => {
    expect(() => ratioEstimate([{ numerator: 1, denominator: 0 }])).toThrow(RangeError);
  });
});

describe(compareEstimates.name, () => {
  it('gives the relative lift and its delta-method standard error computed in NumPy', () => {
    const comparison = compareEstimates(ratioEstimate(treatment), ratioEstimate(control));
    expect(comparison.relative?.estimate).toBeCloseTo(0.0554144385026738, 14);
    expect(comparison.relative?.standardError).toBeCloseTo(0.022478129053260142, 14);
    expect(comparison.absolute.estimate).toBeCloseTo(3.147727272727273 - 2.982456140350877, 14);
    const [lower, upper] = comparison.relative!.confidenceInterval;
    expect(lower).toBeLessThan(0.0554144385026738);
    expect(upper).toBeGreaterThan(0.0554144385026738);
    expect(upper - 0.0554144385026738).toBeCloseTo(0.0554144385026738 - lower, 14);
  });

  it('covers the true relative lift about 95 % of the time (1,000 simulated store experiments)', () => {
    // Stores: exposures 20–80, margin per exposure 3.0 in control and 3.3 in treatment (+10 %), noisy.
    const uniform = uniformStream(20260601);
    const normal = normalStream(20260602);
    const { floor, sqrt } = Math;
    const arm = (n: number, rate: number): RatioUnit[] =>
      Array.from({ length: n }, () => {
        const denominator = 20 + floor(uniform() * 61);
        return { denominator, numerator: rate * denominator + 4 * sqrt(denominator) * normal() };
      });
    let coveredLift = 0;
    let coveredZero = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const lift = compareEstimates(ratioEstimate(arm(150, 3.3)), ratioEstimate(arm(150, 3.0))).relative!;
      if (lift.confidenceInterval[0] <= 0.1 && 0.1 <= lift.confidenceInterval[1]) coveredLift++;
      const aa = compareEstimates(ratioEstimate(arm(150, 3.0)), ratioEstimate(arm(150, 3.0))).relative!;
      if (aa.confidenceInterval[0] <= 0 && 0 <= aa.confidenceInterval[1]) coveredZero++;
    }
    // Binomial sd at 95 % over 1,000 runs ≈ 0.7 %; allow 3 sd.
    expect(coveredLift / runs).toBeGreaterThan(0.929);
    expect(coveredLift / runs).toBeLessThan(0.971);
    expect(coveredZero / runs).toBeGreaterThan(0.929);
    expect(coveredZero / runs).toBeLessThan(0.971);
  });

  it('has no relative lift when control is 0', () => {
    const zero = { n: 10, estimate: 0, variance: 1 };
    expect(compareEstimates({ n: 10, estimate: 1, variance: 1 }, zero).relative).toBeNull();
  });
});
