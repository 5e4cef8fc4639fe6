import fc from 'fast-check';
import { sampleRatioMismatch } from './srm';

describe(sampleRatioMismatch.name, () => {
  it('flags a 50 / 50 experiment that received 52 / 48 of 20,000 units', () => {
    // scipy.stats.chisquare([10400, 9600], [10000, 10000]) → statistic 32.0, pvalue 1.5417257900280013e-08
    const result = sampleRatioMismatch([10_400, 9_600], [0.5, 0.5]);
    expect(result.chiSquared).toBe(32);
    expect(result.pValue).toBeCloseTo(1.5417257900280013e-8, 20);
    expect(result.flagged).toBe(true);
  });

  it('passes one that received 50.2 / 49.8', () => {
    // scipy.stats.chisquare([10040, 9960], [10000, 10000]) → statistic 0.32, pvalue 0.5716076449533314
    const result = sampleRatioMismatch([10_040, 9_960], [0.5, 0.5]);
    expect(result.chiSquared).toBeCloseTo(0.32, 12);
    expect(result.pValue).toBeCloseTo(0.5716076449533314, 13);
    expect(result.flagged).toBe(false);
  });

  it('compares with the configured weights, here 70 / 30 just above the 0.001 threshold', () => {
    // scipy.stats.chisquare([7150, 2850], [7000, 3000]) → statistic 10.714285714285715, pvalue 0.001063114917158603
    const result = sampleRatioMismatch([7_150, 2_850], [0.7, 0.3]);
    expect(result.expected).toEqual([7_000, 3_000]);
    expect(result.chiSquared).toBeCloseTo(10.714285714285715, 12);
    expect(result.pValue).toBeCloseTo(0.001063114917158603, 14);
    expect(result.flagged).toBe(false);
    expect(sampleRatioMismatch([7_160, 2_840], [0.7, 0.3]).flagged).toBe(true);
  });

  it('finds no mismatch when the counts are exactly the expected ones', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (weights, scale) => {
        const result = sampleRatioMismatch(
          weights.map((w) => w * scale),
          weights,
        );
        return result.chiSquared < 1e-9 && result.pValue > 0.999999 && !result.flagged;
      }),
    );
  });

  it('refuses a zero weight', () => {
    expect(() => sampleRatioMismatch([10, 0], [1, 0])).toThrow(RangeError);
  });
});
