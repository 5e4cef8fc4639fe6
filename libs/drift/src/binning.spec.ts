import fc from 'fast-check';
import { binCounts, FeatureBinner, numericBin } from './binning';
import type { ReferenceDistribution } from './reference';

const numeric: ReferenceDistribution = { kind: 'numeric', edges: [1, 2], proportions: [0.3, 0.4, 0.3], missingShare: 0 };

describe(FeatureBinner.name, () => {
  it('puts x ≤ edge in the lower bin and NaN in the missing bin', () => {
    const binner = new FeatureBinner(numeric);
    expect([-Infinity, 1, 1.0001, 2, 3, Infinity, Number.NaN, null].map((x) => binner.bin(x))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('maps small integer codes through a dense table, anything else to other', () => {
    const binner = new FeatureBinner({ kind: 'categorical', categories: [1, 3, 7], proportions: [0.2, 0.3, 0.5], otherShare: 0, missingShare: 0 });
    expect([3, 1, 7, 2, 7.5, -1, 1e9, Number.NaN].map((x) => binner.bin(x))).toEqual([1, 0, 2, 3, 3, 3, 3, 4]);
  });

  it('maps large or fractional codes through a map', () => {
    const binner = new FeatureBinner({ kind: 'categorical', categories: [1.5, 100_000], proportions: [0.5, 0.5], otherShare: 0, missingShare: 0 });
    expect([100_000, 1.5, 2, Number.NaN].map((x) => binner.bin(x))).toEqual([1, 0, 2, 3]);
  });

  it('maps string categories, with null and undefined missing', () => {
    const binner = new FeatureBinner({ kind: 'categorical', categories: ['dairy', 'fish'], proportions: [0.5, 0.5], otherShare: 0, missingShare: 0 });
    expect(['fish', 'dairy', 'meat', null, undefined, 3].map((x) => binner.bin(x))).toEqual([1, 0, 2, 3, 3, 2]);
  });

  it('refuses an invalid reference', () => {
    expect(() => new FeatureBinner({ ...numeric, edges: [2, 1] } as ReferenceDistribution)).toThrow('edges[1]');
  });

  it('counts a matrix column exactly as bin() does value by value', () => {
    const references: ReferenceDistribution[] = [
      numeric,
      { kind: 'categorical', categories: [0, 2, 5], proportions: [0.2, 0.3, 0.5], otherShare: 0, missingShare: 0 },
      { kind: 'categorical', categories: [0.5, 70_000], proportions: [0.5, 0.5], otherShare: 0, missingShare: 0 },
    ];
    const value = fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constantFrom(0.5, 1.5, 70_000, Number.NaN), fc.double({ min: -3, max: 3, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 0, maxLength: 90 }), (raw) => {
        const rows = Math.floor(raw.length / 3);
        const matrix = Float32Array.from(raw.slice(0, rows * 3));
        references.forEach((reference, column) => {
          const binner = new FeatureBinner(reference);
          const counts = new Float64Array(binner.bins + 2);
          binner.countColumn(matrix, rows, 3, column, counts, 2);
          const expected = new Float64Array(binner.bins + 2);
          for (let r = 0; r < rows; r++) expected[2 + binner.bin(matrix[r * 3 + column]!)]! += 1;
          expect(counts).toEqual(expected);
        });
      }),
    );
  });
});

describe(numericBin.name, () => {
  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }), fc.double({ min: -60, max: 60, noNaN: true }), (raw, x) => {
        const edges = [...raw].sort((a, b) => a - b);
        const linear = edges.findIndex((edge) => x <= edge);
        expect(numericBin(edges, x)).toBe(linear < 0 ? edges.length : linear);
      }),
    );
  });
});

describe(binCounts.name, () => {
  it('counts a sample into the layout', () => {
    expect(Array.from(binCounts(numeric, [0, 1, 1.5, 2, 2.5, 9, Number.NaN]))).toEqual([2, 2, 2, 1]);
  });
});
