import fc from 'fast-check';
import { binnedKs, DEFAULT_DRIFT_THRESHOLDS, driftReport, driftStatus, featureDrift, psi, PSI_EPSILON, resolveDriftThresholds } from './metrics';
import type { NumericReference } from './reference';

const histogram = fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 5, maxLength: 5 }).filter((h) => h.reduce((s, x) => s + x, 0) > 1e-6);

describe(psi.name, () => {
  it('matches a hand-computed example: uniform vs 0.1/0.2/0.3/0.4 = 0.2282174', () => {
    // (0.1−0.25)·ln(0.4) + (0.2−0.25)·ln(0.8) + (0.3−0.25)·ln(1.2) + (0.4−0.25)·ln(1.6)
    expect(psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.22821740957339182, 14);
  });

  it('floors an empty bin at epsilon = 1e-4: (0.1 − 1e-4)·ln(1000) + (−0.1)·ln(0.8)', () => {
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psi([0.5, 0.5, 0], [0.4, 0.5, 0.1])).toBeCloseTo(0.7123991075017365, 14);
    expect(psi([0.5, 0.5, 0], [0.4, 0.5, 0.1])).toBeCloseTo((0.1 - 1e-4) * Math.log(1000) - 0.1 * Math.log(0.8), 14);
  });

  it('is 0 for identical distributions, whether given as counts or shares', () => {
    fc.assert(
      fc.property(histogram, fc.double({ min: 0.001, max: 1000, noNaN: true }), (h, scale) => {
        expect(psi(h, h)).toBe(0);
        expect(psi(h, h.map((x) => x * scale))).toBeCloseTo(0, 12);
      }),
    );
  });

  it('is symmetric and never negative', () => {
    fc.assert(
      fc.property(histogram, histogram, (a, b) => {
        const ab = psi(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(psi(b, a)).toBeCloseTo(ab, 10);
      }),
    );
  });

  it('is NaN for an empty histogram and refuses mismatched bins', () => {
    expect(psi([0, 0], [1, 1])).toBeNaN();
    expect(() => psi([1, 1], [1])).toThrow('actual');
  });
});

describe(binnedKs.name, () => {
  const reference: NumericReference = { kind: 'numeric', edges: [0, 1], proportions: [0.5, 0.3, 0.2], missingShare: 0 };

  it('takes the largest CDF gap at the edges, ignoring missing values', () => {
    // live non-missing 40: CDF 0.25, 0.5 at the edges; reference 0.5, 0.8 → 0.3.
    expect(binnedKs(reference, [10, 10, 20, 5])).toBeCloseTo(0.3, 14);
    expect(binnedKs(reference, [5, 3, 2, 100])).toBeCloseTo(0, 14);
  });

  it('is null without live values or for a categorical feature', () => {
    expect(binnedKs(reference, [0, 0, 0, 7])).toBeNull();
    expect(binnedKs({ kind: 'categorical', categories: [1], proportions: [1], otherShare: 0, missingShare: 0 }, [1, 0, 0])).toBeNull();
  });
});

describe(driftStatus.name, () => {
  it('drifts above 0.2, warns from 0.1 to 0.2, and needs enough rows', () => {
    expect(driftStatus(0.2000001, 1000)).toBe('drifted');
    expect(driftStatus(0.2, 1000)).toBe('warn');
    expect(driftStatus(0.1, 1000)).toBe('warn');
    expect(driftStatus(0.0999, 1000)).toBe('ok');
    expect(driftStatus(5, DEFAULT_DRIFT_THRESHOLDS.minRows - 1)).toBe('insufficient-data');
    expect(driftStatus(0.5, 1000, resolveDriftThresholds({ psiDrift: 0.6, psiWarn: 0.3 }))).toBe('warn');
  });

  it('refuses inconsistent thresholds', () => {
    expect(() => resolveDriftThresholds({ psiWarn: 0.3 })).toThrow('psiWarn');
    expect(() => resolveDriftThresholds({ minRows: 0 })).toThrow('minRows');
  });
});

describe(featureDrift.name, () => {
  const reference: NumericReference = { kind: 'numeric', edges: [0], proportions: [0.5, 0.5], missingShare: 0 };

  it('reports PSI, KS, rows and missing shares of one feature', () => {
    const drift = featureDrift('x', reference, [300, 600, 100]);
    expect(drift).toMatchObject({ feature: 'x', kind: 'numeric', liveRows: 1000, liveMissingShare: 0.1, referenceMissingShare: 0 });
    expect(drift.psi).toBeCloseTo(psi([0.5, 0.5, 0], [0.3, 0.6, 0.1]), 14);
    expect(drift.ks).toBeCloseTo(0.5 - 1 / 3, 14);
    expect(drift.status).toBe('drifted');
  });

  it('refuses counts in another layout', () => {
    expect(() => featureDrift('x', reference, [1, 2])).toThrow('liveCounts');
  });
});

describe(driftReport.name, () => {
  const feature = (name: string, status: 'ok' | 'warn' | 'drifted' | 'insufficient-data') => ({
    feature: name, kind: 'numeric' as const, status, psi: 0, ks: 0, liveRows: 0, liveMissingShare: 0, referenceMissingShare: 0,
  });

  it('drifts when any feature drifted and lists them', () => {
    const report = driftReport([feature('a', 'ok'), feature('b', 'drifted'), feature('c', 'warn')]);
    expect(report).toMatchObject({ status: 'drifted', drifted: ['b'], warned: ['c'] });
  });

  it('ranks warn over insufficient data over ok, and says nothing to compare is insufficient', () => {
    expect(driftReport([feature('a', 'ok'), feature('b', 'warn')]).status).toBe('warn');
    expect(driftReport([feature('a', 'ok'), feature('b', 'insufficient-data')]).status).toBe('insufficient-data');
    expect(driftReport([feature('a', 'ok')]).status).toBe('ok');
    expect(driftReport([]).status).toBe('insufficient-data');
  });
});
