import { describe, expect, it } from 'vitest';
import { lot, override, pricedLine, sku } from '../../../test/fixtures';
import { filterAndSort, type PriceFilters } from './filter-sort';
import { buildPriceRows } from './price-rows';

const rows = buildPriceRows({
  skus: [sku({ code: 'B-2', name: 'Bread', category: 'bakery' }), sku({ code: 'A-1', name: 'Apples', category: 'produce' }), sku({ code: 'C-3', name: 'Cheese', category: 'dairy' })],
  lots: [lot({ skuCode: 'B-2', daysToExpiry: 1, quantity: 3 }), lot({ skuCode: 'A-1', daysToExpiry: 5, quantity: 30 })],
  lines: [pricedLine({ skuCode: 'A-1', price: 2 }), pricedLine({ skuCode: 'B-2', price: 1, reason: 'guardrail', boundBy: 'minMargin' }), pricedLine({ skuCode: 'C-3', price: 3, reason: 'override' })],
  guardrails: [],
  overrides: [override({ skuCode: 'C-3' })],
  history: [],
  storeId: 'S01',
});
const ALL: PriceFilters = { search: '', category: null, reason: null, status: 'all' };
const codes = (list: ReturnType<typeof filterAndSort>) => list.map((row) => row.code);

describe(filterAndSort.name, () => {
  it('searches code and name, case-insensitively', () => {
    expect(codes(filterAndSort(rows, { ...ALL, search: 'chee' }, { key: 'code', direction: 'asc' }))).toEqual(['C-3']);
    expect(codes(filterAndSort(rows, { ...ALL, search: 'a-1' }, { key: 'code', direction: 'asc' }))).toEqual(['A-1']);
  });

  it('filters by category, reason and status', () => {
    const sort = { key: 'code', direction: 'asc' } as const;
    expect(codes(filterAndSort(rows, { ...ALL, category: 'bakery' }, sort))).toEqual(['B-2']);
    expect(codes(filterAndSort(rows, { ...ALL, reason: 'override' }, sort))).toEqual(['C-3']);
    expect(codes(filterAndSort(rows, { ...ALL, status: 'override' }, sort))).toEqual(['C-3']);
    expect(codes(filterAndSort(rows, { ...ALL, status: 'expiring' }, sort))).toEqual(['B-2']);
    expect(codes(filterAndSort(rows, { ...ALL, status: 'bound' }, sort))).toEqual(['B-2']);
  });

  it('sorts either way and keeps missing values last', () => {
    expect(codes(filterAndSort(rows, ALL, { key: 'recommendedPrice', direction: 'desc' }))).toEqual(['C-3', 'A-1', 'B-2']);
    expect(codes(filterAndSort(rows, ALL, { key: 'daysToExpiry', direction: 'asc' }))).toEqual(['B-2', 'A-1', 'C-3']);
    expect(codes(filterAndSort(rows, ALL, { key: 'daysToExpiry', direction: 'desc' }))).toEqual(['A-1', 'B-2', 'C-3']);
  });
});
