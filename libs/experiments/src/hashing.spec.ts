import fc from 'fast-check';
import { chooseVariation, fnv1a32, getBucketRanges, getEqualWeights, hash, inNamespace, type BucketRange, type HashVersion, type Namespace } from './hashing';

// Reference vectors: GrowthBook's language-agnostic SDK spec, packages/sdk-js/test/cases.json in
// github.com/growthbook/growthbook (specVersion 0.5.4, commit 021bf498f75c8491c156184ca1b3a1fbafa1d64e),
// sections "hash", "getBucketRange", "chooseVariation", "inNamespace", "feature" and "stickyBucket".

describe(fnv1a32.name, () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // Fowler/Noll/Vo reference test suite (isthe.com/chongo/tech/comp/fnv): "" , "a", "foobar".
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('returns an unsigned 32-bit integer for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const h = fnv1a32(s);
        return Number.isInteger(h) && h >= 0 && h <= 0xffffffff;
      }),
    );
  });
});

describe(hash.name, () => {
  // cases.json "hash": [seed, value, version, expected]
  const vectors: [string, string, HashVersion, number][] = [
    ['', 'a', 1, 0.22],
    ['', 'b', 1, 0.077],
    ['b', 'a', 1, 0.946],
    ['ef', 'd', 1, 0.652],
    ['asdf', '8952klfjas09ujk', 1, 0.549],
    ['', '123', 1, 0.011],
    ['', '___)((*":&', 1, 0.563],
    ['seed', 'a', 2, 0.0505],
    ['seed', 'b', 2, 0.2696],
    ['foo', 'ab', 2, 0.2575],
    ['foo', 'def', 2, 0.2019],
    ['89123klj', '8952klfjas09ujkasdf', 2, 0.124],
    ['90850943850283058242805', '123', 2, 0.7516],
    ['()**(%$##$%#$#', '___)((*":&', 2, 0.0128],
  ];

  it.each(vectors)('hash(%j, %j, v%d) is %d as in GrowthBook cases.json', (seed, value, version, expected) => {
    expect(hash(seed, value, version)).toBe(expected);
  });

  it('reproduces the buckets GrowthBook reports in its feature and sticky-bucket cases', () => {
    // "empty experiment rule - c / a / b": seed = feature key "feature", hashVersion 1
    expect(hash('feature', '123', 1)).toBe(0.863);
    expect(hash('feature', '456', 1)).toBe(0.178);
    expect(hash('feature', 'fds', 1)).toBe(0.514);
    // "performs evaluation without sticky bucket" / "resets sticky bucketing…": seed "feature-exp", hashVersion 2
    expect(hash('feature-exp', 'd123', 2)).toBe(0.6468);
    expect(hash('feature-exp', 'i123', 2)).toBe(0.9943);
  });

  it('maps every unit into [0, 1) on the 1,000 (v1) or 10,000 (v2) grid', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom<HashVersion>(1, 2), (seed, value, version) => {
        const n = hash(seed, value, version);
        const grid = version === 1 ? 1000 : 10000;
        return n >= 0 && n < 1 && Math.abs(n * grid - Math.round(n * grid)) < 1e-9;
      }),
    );
  });
});

describe(getBucketRanges.name, () => {
  // cases.json "getBucketRange": [name, [numVariations, coverage, weights], expected]
  const cases: [string, number, number, number[] | undefined, [number, number][]][] = [
    ['normal 50/50', 2, 1, undefined, [[0, 0.5], [0.5, 1]]],
    ['reduced coverage', 2, 0.5, undefined, [[0, 0.25], [0.5, 0.75]]],
    ['zero coverage', 2, 0, undefined, [[0, 0], [0.5, 0.5]]],
    ['4 variations', 4, 1, undefined, [[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]],
    ['uneven weights', 2, 1, [0.4, 0.6], [[0, 0.4], [0.4, 1]]],
    ['uneven weights, 3 variations', 3, 1, [0.2, 0.3, 0.5], [[0, 0.2], [0.2, 0.5], [0.5, 1]]],
    ['uneven weights, reduced coverage, 3 variations', 3, 0.2, [0.2, 0.3, 0.5], [[0, 0.04], [0.2, 0.26], [0.5, 0.6]]],
    ['negative coverage', 2, -0.2, undefined, [[0, 0], [0.5, 0.5]]],
    ['coverage above 1', 2, 1.5, undefined, [[0, 0.5], [0.5, 1]]],
    ['weights sum below 1', 2, 1, [0.4, 0.1], [[0, 0.5], [0.5, 1]]],
    ['weights sum above 1', 2, 1, [0.7, 0.6], [[0, 0.5], [0.5, 1]]],
    ['weights.length not equal to num variations', 4, 1, [0.4, 0.4, 0.2], [[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]],
    ['weights sum almost equals 1', 2, 1, [0.4, 0.5999], [[0, 0.4], [0.4, 0.9999]]],
  ];

  it.each(cases)('%s: as in GrowthBook cases.json', (_name, n, coverage, weights, expected) => {
    const ranges = getBucketRanges(n, coverage, weights);
    expect(ranges).toHaveLength(expected.length);
    ranges.forEach((range, i) => {
      expect(range[0]).toBeCloseTo(expected[i]![0], 12);
      expect(range[1]).toBeCloseTo(expected[i]![1], 12);
    });
  });

  const weightsArb = fc
    .array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 })
    .map((raw) => {
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((w) => w / total);
    });

  it('covers exactly `coverage` of the line with ordered, non-overlapping ranges', () => {
    fc.assert(
      fc.property(weightsArb, fc.double({ min: 0, max: 1, noNaN: true }), (weights, coverage) => {
        const ranges = getBucketRanges(weights.length, coverage, weights);
        const covered = ranges.reduce((sum, [start, end]) => sum + (end - start), 0);
        const ordered = ranges.every((range, i) => i === 0 || range[0] >= ranges[i - 1]![1] - 1e-12);
        return Math.abs(covered - coverage) < 1e-9 && ordered && ranges.every(([start, end]) => start >= 0 && end <= 1 + 1e-12 && end >= start);
      }),
    );
  });
});

describe(getEqualWeights.name, () => {
  it('splits evenly and is empty for no variations (cases.json "getEqualWeights")', () => {
    expect(getEqualWeights(-1)).toEqual([]);
    expect(getEqualWeights(0)).toEqual([]);
    expect(getEqualWeights(1)).toEqual([1]);
    expect(getEqualWeights(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe(chooseVariation.name, () => {
  const even: BucketRange[] = [[0, 0.5], [0.5, 1]];
  const reduced: BucketRange[] = [[0, 0.25], [0.5, 0.75]];
  const cases: [string, number, BucketRange[], number][] = [
    ['even range, 0.2', 0.2, even, 0],
    ['even range, 0.4', 0.4, even, 0],
    ['even range, 0.6', 0.6, even, 1],
    ['even range, 0.8', 0.8, even, 1],
    ['even range, 0', 0, even, 0],
    ['even range, 0.5', 0.5, even, 1],
    ['reduced range, 0.2', 0.2, reduced, 0],
    ['reduced range, 0.4', 0.4, reduced, -1],
    ['reduced range, 0.6', 0.6, reduced, 1],
    ['reduced range, 0.8', 0.8, reduced, -1],
    ['reduced range, 0.25', 0.25, reduced, -1],
    ['reduced range, 0.5', 0.5, reduced, 1],
    ['zero range', 0.5, [[0, 0.5], [0.5, 0.5], [0.5, 1]], 2],
  ];

  it.each(cases)('%s: as in GrowthBook cases.json', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });
});

describe(inNamespace.name, () => {
  // cases.json "inNamespace": [name, id, namespace, expected]
  const cases: [string, Namespace, boolean][] = [
    ['1', ['namespace1', 0, 0.4], false],
    ['1', ['namespace1', 0.4, 1], true],
    ['1', ['namespace2', 0, 0.4], false],
    ['1', ['namespace2', 0.4, 1], true],
    ['2', ['namespace1', 0, 0.4], false],
    ['2', ['namespace1', 0.4, 1], true],
    ['2', ['namespace2', 0, 0.4], false],
    ['2', ['namespace2', 0.4, 1], true],
    ['3', ['namespace1', 0, 0.4], false],
    ['3', ['namespace1', 0.4, 1], true],
    ['3', ['namespace2', 0, 0.4], true],
    ['3', ['namespace2', 0.4, 1], false],
    ['4', ['namespace1', 0, 0.4], false],
    ['4', ['namespace1', 0.4, 1], true],
    ['4', ['namespace2', 0, 0.4], true],
    ['4', ['namespace2', 0.4, 1], false],
  ];

  it.each(cases)('user %s in %j is %s as in GrowthBook cases.json', (id, namespace, expected) => {
    expect(inNamespace(id, namespace)).toBe(expected);
  });
});
