import fc from 'fast-check';
import { summarize } from './descriptive';
import { welchTest } from './welch';

// Reference: SciPy 1.17.1,
//   r = scipy.stats.ttest_ind(a, b, equal_var=False)
//   r.statistic, r.pvalue, r.df, r.confidence_interval(0.95), r.confidence_interval(0.90)
const a = [12.1, 14.3, 11.8, 15.2, 13.9, 12.7, 14.8];
const b = [10.4, 11.9, 12.2, 10.8, 13.1, 11.5, 10.9, 12.6];

describe(welchTest.name, () => {
  it('matches scipy.stats.ttest_ind(a, b, equal_var=False): t, p, df and the 95 % interval', () => {
    const result = welchTest(summarize(a), summarize(b));
    expect(result.t).toBeCloseTo(3.071391228393206, 12);
    expect(result.pValue).toBeCloseTo(0.011076192985290171, 13);
    expect(result.degreesOfFreedom).toBeCloseTo(10.59660047296027, 11);
    expect(result.confidenceInterval[0]).toBeCloseTo(0.5230915075934521, 12);
    expect(result.confidenceInterval[1]).toBeCloseTo(3.2126227781208354, 12);
  });

  it('matches r.confidence_interval(0.90) at alpha 0.10', () => {
    const [lower, upper] = welchTest(summarize(a), summarize(b), 0.1).confidenceInterval;
    expect(lower).toBeCloseTo(0.771878112261402, 12);
    expect(upper).toBeCloseTo(2.9638361734528855, 12);
  });

  const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 });

  it('is antisymmetric in its arms and its interval holds the difference', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const forward = welchTest(summarize(x), summarize(y));
        const backward = welchTest(summarize(y), summarize(x));
        const [lower, upper] = forward.confidenceInterval;
        return (
          Math.abs(forward.pValue - backward.pValue) < 1e-12 &&
          forward.pValue >= 0 &&
          forward.pValue <= 1 &&
          lower <= forward.difference + 1e-9 &&
          forward.difference <= upper + 1e-9
        );
      }),
    );
  });

  it('refuses samples of fewer than two observations', () => {
    expect(() => welchTest(summarize([1]), summarize(b))).toThrow(RangeError);
  });
});
