import { duplicateKeyProblems, lotProblems, skuProblems, windowProblems } from './catalog-rules';

describe(skuProblems.name, () => {
  const sku = { unitCost: 1, listPrice: 2.49, priceFloor: 1.2, priceCeiling: 2.99, salvageValue: 0.1, shelfLifeDays: 3 };

  it('accepts a consistent SKU', () => {
    expect(skuProblems(sku)).toEqual([]);
  });

  it('names the row and field when the floor exceeds the ceiling', () => {
    expect(skuProblems({ ...sku, priceFloor: 3, priceCeiling: 2.5 }, 'items[7].')).toContainEqual({
      field: 'items[7].priceFloor',
      message: 'must not exceed priceCeiling (2.5)',
    });
  });

  it('refuses a ceiling below the list price and salvage above cost', () => {
    const fields = skuProblems({ ...sku, priceCeiling: 2, salvageValue: 1.5 }).map((problem) => problem.field);
    expect(fields).toEqual(['priceCeiling', 'salvageValue']);
  });
});

describe(lotProblems.name, () => {
  it('refuses a lot that expires before it arrives', () => {
    expect(lotProblems({ receivedAt: new Date('2026-01-02'), expiresAt: new Date('2026-01-01') })).toHaveLength(1);
    expect(lotProblems({ receivedAt: new Date('2026-01-01'), expiresAt: new Date('2026-01-02') })).toEqual([]);
  });
});

describe(windowProblems.name, () => {
  it('refuses an empty window', () => {
    const at = new Date('2026-01-01');
    expect(windowProblems({ startsAt: at, endsAt: at })[0]?.field).toBe('endsAt');
  });
});

describe(duplicateKeyProblems.name, () => {
  it('names the later of two rows with the same key', () => {
    const rows = [{ code: 'A' }, { code: 'B' }, { code: 'A' }];
    expect(duplicateKeyProblems(rows, (row) => row.code, 'code')).toEqual([{ field: 'items[2].code', message: 'duplicates items[0] (A)' }]);
  });
});
