import type { AssignmentDefinition } from './assignment';
import { assignVariant } from './assignment';
import { assignmentTimeline, variantAt } from './assignment-history';

const split = (treatment: number, coverage = 1): AssignmentDefinition => ({
  salt: 'timeline',
  unit: 'store_sku',
  coverage,
  variants: [
    { key: 'legacy', weight: 1 - treatment },
    { key: 'model', weight: treatment },
  ],
});
const ids = Array.from({ length: 20_000 }, (_, i) => `S${i % 97}:SKU-${i}`);

describe(assignmentTimeline.name, () => {
  it('gives every unit the start of the experiment when the weights never changed', () => {
    const tenure = assignmentTimeline([{ from: 1_000, definition: split(0.3) }]);
    for (const id of ids.slice(0, 500)) expect(tenure(id)).toEqual({ variant: assignVariant(split(0.3), id), since: 1_000 });
  });

  it('after 30 % → 40 %, only the units that moved into treatment start at the change', () => {
    const tenure = assignmentTimeline([
      { from: 5_000, definition: split(0.4) },
      { from: 1_000, definition: split(0.3) },
    ]);
    let moved = 0;
    for (const id of ids) {
      const before = assignVariant(split(0.3), id);
      const now = tenure(id);
      expect(now?.variant).toBe(assignVariant(split(0.4), id));
      if (before === now?.variant) expect(now?.since).toBe(1_000);
      else {
        moved++;
        expect([before, now?.variant, now?.since]).toEqual(['legacy', 'model', 5_000]);
      }
    }
    // About 10 % of the units move (binomial sd ≈ 42 on 20,000).
    expect(Math.abs(moved - 2_000)).toBeLessThan(200);
  });

  it('starts a unit again when it moved away and back', () => {
    const tenure = assignmentTimeline([
      { from: 1, definition: split(0.3) },
      { from: 2, definition: split(0.5) },
      { from: 3, definition: split(0.3) },
    ]);
    const wandering = ids.find((id) => assignVariant(split(0.3), id) === 'legacy' && assignVariant(split(0.5), id) === 'model') as string;
    expect(tenure(wandering)).toEqual({ variant: 'legacy', since: 3 });
  });

  it('returns null for a unit outside the latest coverage', () => {
    const tenure = assignmentTimeline([{ from: 1, definition: split(0.5, 0.5) }]);
    const outside = ids.filter((id) => tenure(id) === null);
    expect(Math.abs(outside.length - 10_000)).toBeLessThan(500);
  });
});

describe(variantAt.name, () => {
  it('uses the version in force at the time', () => {
    const versions = [
      { from: 1_000, definition: split(0.3) },
      { from: 5_000, definition: split(0.4) },
    ];
    const moved = ids.find((id) => assignVariant(split(0.3), id) !== assignVariant(split(0.4), id)) as string;
    expect([variantAt(versions, moved, 500), variantAt(versions, moved, 4_999), variantAt(versions, moved, 5_000)]).toEqual(['legacy', 'legacy', 'model']);
  });
});
