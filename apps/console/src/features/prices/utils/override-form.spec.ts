import { describe, expect, it } from 'vitest';
import { defaultEndsAt, parseOverrideForm, type OverrideFormValues } from './override-form';

const NOW = new Date('2026-11-26T10:00:00');
const VALUES: OverrideFormValues = { mode: 'fixed', amount: '1.29', scope: 'store', endsAt: '2026-11-28T23:59', reason: 'Competitor promotion' };

describe(parseOverrideForm.name, () => {
  it('makes one override per SKU, for this store or every store, ending when asked', () => {
    const { bodies, errors } = parseOverrideForm(VALUES, [{ code: 'A', listPrice: 2 }, { code: 'B', listPrice: 3 }], 'S01', NOW);
    expect(errors).toEqual({});
    expect(bodies).toEqual([
      { skuCode: 'A', storeId: 'S01', price: 1.29, endsAt: new Date('2026-11-28T23:59').toISOString(), reason: 'Competitor promotion' },
      { skuCode: 'B', storeId: 'S01', price: 1.29, endsAt: new Date('2026-11-28T23:59').toISOString(), reason: 'Competitor promotion' },
    ]);
    expect(parseOverrideForm({ ...VALUES, scope: 'chain' }, [{ code: 'A', listPrice: 2 }], 'S01', NOW).bodies[0]?.storeId).toBeNull();
  });

  it('prices a percentage of each list price in whole cents', () => {
    const { bodies } = parseOverrideForm({ ...VALUES, mode: 'percentOfList', amount: '70' }, [{ code: 'A', listPrice: 1.99 }, { code: 'B', listPrice: 3.49 }], 'S01', NOW);
    expect(bodies.map((body) => body.price)).toEqual([1.39, 2.44]);
  });

  it('refuses an end in the past, a missing reason and a price in fractions of a cent', () => {
    const { bodies, errors } = parseOverrideForm({ ...VALUES, amount: '1.295', endsAt: '2026-11-25T10:00', reason: 'x' }, [{ code: 'A', listPrice: 2 }], 'S01', NOW);
    expect(bodies).toEqual([]);
    expect(Object.keys(errors).sort()).toEqual(['amount', 'endsAt', 'reason']);
  });

  it('ends by default two days from now, at the end of that day', () => {
    expect(defaultEndsAt(NOW)).toBe('2026-11-28T23:59');
  });
});
