import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { binCounts } from './binning';
import { psi } from './metrics';
import {
  assertValidReference,
  binCount,
  categoricalReferenceFromSample,
  referenceFromCard,
  referenceFromSample,
  referenceProblems,
  referenceShares,
  type NumericReference,
} from './reference';

describe(referenceFromSample.name, () => {
  it('puts quantile edges so that each bin holds an equal share', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(referenceFromSample(values, 4)).toEqual({ kind: 'numeric', edges: [25, 50, 75], proportions: [0.25, 0.25, 0.25, 0.25], missingShare: 0, rows: 100 });
  });

  it('keeps NaN apart as the missing share', () => {
    const reference = referenceFromSample([1, 2, 3, 4, 5, 6, 7, 8, Number.NaN, Number.NaN], 4);
    expect(reference).toMatchObject({ edges: [2, 4, 6], proportions: [0.25, 0.25, 0.25, 0.25], missingShare: 0.2 });
  });

  it('merges bins when values repeat', () => {
    expect(referenceFromSample([0, 0, 0, 0, 0, 0, 1, 2], 4)).toMatchObject({ edges: [0], proportions: [0.75, 0.25] });
    expect(referenceFromSample([5, 5, 5], 10)).toMatchObject({ edges: [], proportions: [1] });
  });

  it('describes an all-missing sample and refuses an empty one', () => {
    expect(referenceFromSample([Number.NaN, Number.NaN])).toMatchObject({ edges: [], proportions: [0], missingShare: 1 });
    expect(() => referenceFromSample([])).toThrow('values');
    expect(() => referenceFromSample([1], 0)).toThrow('bins');
  });

  it('builds a valid reference that its own sample matches exactly (PSI 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (values, bins) => {
          const reference = referenceFromSample(values, bins);
          expect(referenceProblems(reference)).toEqual([]);
          expect(reference.edges.length).toBeLessThan(bins);
          expect(psi(referenceShares(reference), binCounts(reference, values))).toBeCloseTo(0, 12);
        },
      ),
    );
  });
});

describe(categoricalReferenceFromSample.name, () => {
  it('keeps the most frequent categories (ties: the smaller), in order, the rest as other', () => {
    expect(categoricalReferenceFromSample(['a', 'b', 'a', null, 'c', 'a'], 2)).toEqual({
      kind: 'categorical',
      categories: ['a', 'b'],
      proportions: [0.6, 0.2],
      otherShare: 0.2,
      missingShare: 1 / 6,
      rows: 6,
    });
  });

  it('treats NaN as missing among numeric codes', () => {
    expect(categoricalReferenceFromSample([3, 1, 3, Number.NaN])).toMatchObject({ categories: [1, 3], proportions: [1 / 3, 2 / 3], otherShare: 0, missingShare: 0.25 });
  });

  it('refuses a sample mixing numbers and strings', () => {
    expect(() => categoricalReferenceFromSample([1, 'a'])).toThrow('values[1]');
  });
});

describe(referenceProblems.name, () => {
  const valid: NumericReference = { kind: 'numeric', edges: [1, 2], proportions: [0.2, 0.5, 0.3], missingShare: 0.1 };

  it('accepts a consistent reference', () => {
    expect(referenceProblems(valid)).toEqual([]);
  });

  it('names unordered edges, a wrong number of proportions and shares that do not sum to 1', () => {
    expect(referenceProblems({ ...valid, edges: [2, 1] }, 'features[0].').map((p) => p.field)).toEqual(['features[0].edges[1]']);
    expect(referenceProblems({ ...valid, proportions: [0.5, 0.5] }).map((p) => p.field)).toEqual(['proportions']);
    expect(referenceProblems({ ...valid, proportions: [0.2, 0.5, 0.2] })[0]!.message).toMatch(/sum to 1/);
    expect(referenceProblems({ ...valid, missingShare: 1.5 }).map((p) => p.field)).toEqual(['missingShare']);
  });

  it('names duplicate categories and a bad other share', () => {
    const problems = referenceProblems({ kind: 'categorical', categories: [1, 1], proportions: [0.5, 0.5], otherShare: -0.1, missingShare: 0 });
    expect(problems.map((p) => p.field)).toEqual(['otherShare', 'categories[1]', 'proportions']);
  });

  it('throws them all at once as a validation error', () => {
    expect(() => assertValidReference({ ...valid, edges: [2, 1], missingShare: 2 })).toThrow(DomainError);
  });
});

describe(referenceShares.name, () => {
  it('lays out value bins (scaled by the present share), then other, then missing', () => {
    expect(Array.from(referenceShares({ kind: 'numeric', edges: [1], proportions: [0.25, 0.75], missingShare: 0.2 }))).toEqual([0.2, 0.6000000000000001, 0.2]);
    const categorical = { kind: 'categorical' as const, categories: ['a', 'b'], proportions: [0.5, 0.25], otherShare: 0.25, missingShare: 0 };
    expect(binCount(categorical)).toBe(4);
    expect(Array.from(referenceShares(categorical))).toEqual([0.5, 0.25, 0.25, 0]);
  });
});

describe(referenceFromCard.name, () => {
  it("reads the trainer's card shape (inner edges; codes with a trailing other share)", () => {
    expect(referenceFromCard({ type: 'numeric', edges: [0.5], proportions: [0.4, 0.6], missing: 0.1, rows: 10 })).toEqual({
      kind: 'numeric',
      edges: [0.5],
      proportions: [0.4, 0.6],
      missingShare: 0.1,
      rows: 10,
    });
    expect(referenceFromCard({ type: 'categorical', edges: [1, 4], proportions: [0.5, 0.3, 0.2], missing: 0 })).toMatchObject({
      kind: 'categorical',
      categories: [1, 4],
      proportions: [0.5, 0.3],
      otherShare: 0.2,
    });
    expect(() => referenceFromCard({ type: 'numeric', edges: [1], proportions: [1], missing: 0 })).toThrow('proportions');
  });
});
