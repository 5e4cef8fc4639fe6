import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { assignmentUnitId, assignVariant, createAssigner, experimentProblems, type AssignmentDefinition } from './assignment';
import { hash } from './hashing';
import { sampleRatioMismatch } from './srm';

const legacyFirst = (treatment: number): AssignmentDefinition => ({
  salt: 'dynaprice-q1-2026',
  unit: 'store',
  variants: [
    { key: 'legacy', weight: 1 - treatment },
    { key: 'model', weight: treatment },
  ],
});

const ids = (count: number, prefix = 'store-'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe(assignmentUnitId.name, () => {
  it('hashes the store id, `${storeId}:${skuCode}`, or the customer / session id', () => {
    expect(assignmentUnitId('store', { storeId: 'S1', skuCode: 'BREAD' })).toBe('S1');
    expect(assignmentUnitId('store_sku', { storeId: 'S1', skuCode: 'BREAD' })).toBe('S1:BREAD');
    expect(assignmentUnitId('customer', { customerId: 'c-hash-9' })).toBe('c-hash-9');
  });

  it('names the missing id', () => {
    expect(() => assignmentUnitId('store_sku', { storeId: 'S1' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'skuCode' }));
  });
});

describe(experimentProblems.name, () => {
  it('accepts a 70 / 30 legacy / model split', () => {
    expect(experimentProblems(legacyFirst(0.3))).toEqual([]);
  });

  it('names weights that do not sum to 1, duplicate keys and a bad coverage', () => {
    const problems = experimentProblems({
      salt: 's',
      unit: 'store',
      coverage: 1.2,
      variants: [
        { key: 'a', weight: 0.5 },
        { key: 'a', weight: 0.4 },
      ],
    });
    expect(problems.map((problem) => problem.field)).toEqual(['variants[1].key', 'variants', 'coverage']);
  });
});

describe(assignVariant.name, () => {
  it('agrees with GrowthBook on its own spec cases', () => {
    // cases.json "feature" › "empty experiment rule - c/a/b": seed "feature", hashVersion 1, three equal variations.
    const equalThirds: AssignmentDefinition = {
      salt: 'feature',
      unit: 'customer',
      hashVersion: 1,
      variants: [
        { key: 'a', weight: 1 / 3 },
        { key: 'b', weight: 1 / 3 },
        { key: 'c', weight: 1 / 3 },
      ],
    };
    expect(assignVariant(equalThirds, '123')).toBe('c');
    expect(assignVariant(equalThirds, '456')).toBe('a');
    expect(assignVariant(equalThirds, 'fds')).toBe('b');
    // cases.json "stickyBucket" › "performs evaluation without sticky bucket": seed "feature-exp", v2, weights 0.3334/0.3333/0.3333.
    const sticky: AssignmentDefinition = {
      salt: 'feature-exp',
      unit: 'customer',
      hashVersion: 2,
      variants: [
        { key: 'control', weight: 0.3334 },
        { key: 'red', weight: 0.3333 },
        { key: 'blue', weight: 0.3333 },
      ],
    };
    expect(assignVariant(sticky, 'd123')).toBe('red');
    expect(assignVariant(sticky, 'i123')).toBe('blue');
    // cases.json "run" › "Uses seed with default weights/coverage": seed "foo", v2, id "1" → variation 1.
    expect(assignVariant({ salt: 'foo', unit: 'customer', variants: [{ key: 'v0', weight: 0.5 }, { key: 'v1', weight: 0.5 }] }, '1')).toBe('v1');
  });

  it('gives the same answers in every process (golden values computed independently, in Python)', () => {
    // python3: fnv = FNV-1a 32 over the ASCII bytes; bucket = (fnv(str(fnv(salt + id))) % 10000) / 10000
    const golden: [string, number, string][] = [
      ['store-001', 0.4389, 'legacy'],
      ['store-002', 0.0645, 'legacy'],
      ['store-006', 0.6114, 'legacy'],
      ['store-007', 0.6276, 'legacy'],
      ['store-017:SKU-BREAD-01', 0.7661, 'model'],
      ['session-9f2c', 0.7119, 'model'],
    ];
    for (const [id, bucket, variant] of golden) {
      expect(hash('dynaprice-q1-2026', id, 2)).toBe(bucket);
      expect(assignVariant(legacyFirst(0.3), id)).toBe(variant);
    }
  });

  it('is deterministic: the same definition and unit always give the same variant', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 99 }), (unitId, salt, pct) => {
        const definition = { ...legacyFirst(pct / 100), salt };
        return assignVariant(definition, unitId) === assignVariant(structuredClone(definition), unitId);
      }),
    );
  });

  it('honours 30 / 70 weights within sampling error on 100,000 ids', () => {
    const counts = { legacy: 0, model: 0 };
    const assign = createAssigner(legacyFirst(0.3));
    for (const id of ids(100_000)) counts[assign(id) as 'legacy' | 'model']++;
    // Binomial sd = √(100,000 · 0.3 · 0.7) ≈ 145; allow 4.5 sd.
    expect(Math.abs(counts.model - 30_000)).toBeLessThan(650);
    expect(sampleRatioMismatch([counts.legacy, counts.model], [0.7, 0.3]).flagged).toBe(false);
  });

  it('honours uneven three-way weights and partial coverage within sampling error', () => {
    const definition: AssignmentDefinition = {
      salt: 'three-way',
      unit: 'customer',
      coverage: 0.8,
      variants: [
        { key: 'a', weight: 0.2 },
        { key: 'b', weight: 0.3 },
        { key: 'c', weight: 0.5 },
      ],
    };
    const counts = new Map<string | null, number>();
    const assign = createAssigner(definition);
    for (const id of ids(100_000, 'session-')) {
      const variant = assign(id);
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    // Expected 20,000 outside coverage, then 16,000 / 24,000 / 40,000.
    expect(Math.abs((counts.get(null) ?? 0) - 20_000)).toBeLessThan(600);
    const inside = ['a', 'b', 'c'].map((key) => counts.get(key) ?? 0);
    expect(sampleRatioMismatch(inside, [0.2, 0.3, 0.5]).flagged).toBe(false);
  });

  it('raising treatment from 30 % to 40 % moves only units into treatment (legacy first, model second)', () => {
    let moved = 0;
    const moves = new Set<string>();
    const [before30, after40] = [createAssigner(legacyFirst(0.3)), createAssigner(legacyFirst(0.4))];
    for (const id of ids(100_000)) {
      const before = before30(id);
      const after = after40(id);
      if (before !== after) {
        moved++;
        moves.add(`${before}→${after}`);
      }
    }
    expect([...moves]).toEqual(['legacy→model']);
    // Exactly the units hashed into [0.6, 0.7): about 10 % of them, nobody else.
    expect(Math.abs(moved - 10_000)).toBeLessThan(400);
  });

  it('moves only units into treatment for any increase of a two-variant treatment weight, in either order', () => {
    const unitIds = ids(2_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 1, max: 98 }), fc.boolean(), (from, extra, modelFirst) => {
        const to = Math.min(99, from + extra);
        const definition = (w: number): AssignmentDefinition => {
          const variants = [
            { key: 'legacy', weight: 1 - w / 100 },
            { key: 'model', weight: w / 100 },
          ];
          return { salt: 'grow', unit: 'store', variants: modelFirst ? variants.reverse() : variants };
        };
        const before = createAssigner(definition(from));
        const after = createAssigner(definition(to));
        return unitIds.every((id) => before(id) === after(id) || (before(id) === 'legacy' && after(id) === 'model'));
      }),
      { numRuns: 40 },
    );
  });

  it('with three variants, only the neighbour that gives up weight loses units (order variants so that they touch)', () => {
    // legacy | champion | challenger: the challenger grows 20 % → 30 % at the champion's expense.
    const three = (champion: number, challenger: number): AssignmentDefinition => ({
      salt: 'three',
      unit: 'store',
      variants: [
        { key: 'legacy', weight: 0.5 },
        { key: 'champion', weight: champion },
        { key: 'challenger', weight: challenger },
      ],
    });
    const moves = new Set<string>();
    for (const id of ids(20_000)) {
      const before = assignVariant(three(0.3, 0.2), id);
      const after = assignVariant(three(0.2, 0.3), id);
      if (before !== after) moves.add(`${before}→${after}`);
    }
    expect([...moves]).toEqual(['champion→challenger']);
  });

  it('returns null outside the coverage and the namespace', () => {
    const definition: AssignmentDefinition = { ...legacyFirst(0.5), coverage: 0 };
    expect(ids(100).every((id) => assignVariant(definition, id) === null)).toBe(true);
    // cases.json "inNamespace": user "1" is outside ["namespace1", 0, 0.4], inside [0.4, 1).
    expect(assignVariant({ ...legacyFirst(0.5), namespace: ['namespace1', 0, 0.4] }, '1')).toBeNull();
    expect(assignVariant({ ...legacyFirst(0.5), namespace: ['namespace1', 0.4, 1] }, '1')).not.toBeNull();
  });
});

describe(createAssigner.name, () => {
  it('refuses an invalid definition with every problem listed', () => {
    const bad: AssignmentDefinition = { salt: '', unit: 'store', variants: [{ key: 'only', weight: 1 }] };
    let caught: unknown;
    try {
      createAssigner(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).problems.map((problem) => problem.field)).toEqual(['salt', 'variants']);
  });

  it('assigns exactly as assignVariant', () => {
    const definition: AssignmentDefinition = { ...legacyFirst(0.3), coverage: 0.9, hashVersion: 1 };
    const assign = createAssigner(definition);
    expect(ids(5_000).every((id) => assign(id) === assignVariant(definition, id))).toBe(true);
  });
});
