import fc from 'fast-check';
import { kolmogorovSurvival, ksStatisticSorted, ksTwoSample } from './ks';

describe(kolmogorovSurvival.name, () => {
  // scipy.special.kolmogorov(x) (SciPy 1.17.1), i.e. scipy.stats.kstwobign.sf(x).
  const scipy: [number, number][] = [
    [0.3, 0.9999906941986655],
    [0.5, 0.9639452436648751],
    [0.8, 0.5441424115741981],
    [1.0, 0.26999967167735456],
    [1.2, 0.11224966667072497],
    [1.3580986393225505, 0.050000000000000024],
    [1.5, 0.022217962616525127],
    [2.0, 0.0006709252557796953],
    [3.0, 3.045995948942526e-8],
  ];

  it.each(scipy)('matches scipy.special.kolmogorov(%p) = %p', (x, expected) => {
    expect(Math.abs(kolmogorovSurvival(x) - expected)).toBeLessThan(1e-12 + 1e-10 * expected);
  });

  it('is 1 at and below zero and decreases towards 0', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(-1)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 5, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), (x, step) => {
        expect(kolmogorovSurvival(x + step)).toBeLessThanOrEqual(kolmogorovSurvival(x) + 1e-15);
      }),
    );
  });

  it('is continuous where the two series meet (x = 1)', () => {
    expect(Math.abs(kolmogorovSurvival(1 - 1e-9) - kolmogorovSurvival(1))).toBeLessThan(1e-8);
  });
});

describe(ksTwoSample.name, () => {
  it('matches scipy.stats.ks_2samp on a small sample (D = 23/42)', () => {
    // ks_2samp(x, y) → statistic 0.5476190476190477; the asymptotic p-value of that D is
    // scipy.stats.kstwobign.sf(sqrt(7·6/13) · D) = 0.2872007193514701 (exact: 0.21212121212121213).
    const x = [0.95, 1.0, 1.02, 0.97, 0.99, 1.05, 1.0];
    const y = [0.9, 0.93, 0.96, 1.01, 0.94, 0.97];
    const result = ksTwoSample(x, y);
    expect(result.statistic).toBeCloseTo(23 / 42, 14);
    expect(result.pValue).toBeCloseTo(0.2872007193514701, 12);
    expect(result).toMatchObject({ countA: 7, countB: 6 });
  });

  it('steps both CDFs together over ties (scipy: D = 0.3, kolmogorov(√(30/11)·0.3) = 0.9667907604932682)', () => {
    const result = ksTwoSample([1, 1, 2, 2, 3], [1, 2, 2, 3, 3, 3]);
    expect(result.statistic).toBeCloseTo(0.3, 14);
    expect(result.pValue).toBeCloseTo(0.9667907604932682, 12);
  });

  it('is close to the finite-sample p-value on samples of a few hundred', () => {
    // x = (i − ½)/400, i = 1..400; y = (j − ½)/300 + 0.08, j = 1..300.
    // scipy: statistic 0.0825, kstwobign limit 0.1937210799862212, method='asymp' (kstwo) 0.1843490096418241,
    // method='exact' 0.1847221841254327.
    const x = Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400);
    const y = Array.from({ length: 300 }, (_, j) => (j + 0.5) / 300 + 0.08);
    const result = ksTwoSample(x, y);
    expect(result.statistic).toBeCloseTo(0.0825, 12);
    expect(result.pValue).toBeCloseTo(0.1937210799862212, 12);
    expect(Math.abs(result.pValue - 0.1847221841254327)).toBeLessThan(0.01);
  });

  it('gives D = 1 for disjoint samples and D = 0 for a sample against itself', () => {
    expect(ksTwoSample([1, 2, 3], [4, 5, 6]).statistic).toBe(1);
    expect(ksTwoSample([3, 1, 2], [1, 2, 3])).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it('returns NaN for an empty sample and refuses NaN values', () => {
    expect(ksTwoSample([], [1]).statistic).toBeNaN();
    expect(ksTwoSample([1], []).pValue).toBeNaN();
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow('values[1]');
  });

  it('is symmetric, within [0, 1] and invariant under increasing transforms', () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const d = ksTwoSample(a, b).statistic;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(ksTwoSample(b, a).statistic).toBe(d);
        const transform = (v: number): number => Math.exp(v / 10) * 3 + 1;
        expect(ksTwoSample(a.map(transform), b.map(transform)).statistic).toBeCloseTo(d, 12);
      }),
    );
  });

  it('equals the largest CDF difference found by brute force', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const cdf = (s: number[], t: number): number => s.filter((v) => v <= t).length / s.length;
        const brute = Math.max(...[...a, ...b].map((t) => Math.abs(cdf(a, t) - cdf(b, t))));
        const sortedA = Float64Array.from(a).sort();
        const sortedB = Float64Array.from(b).sort();
        expect(ksStatisticSorted(sortedA, sortedB)).toBeCloseTo(brute, 12);
      }),
    );
  });
});
