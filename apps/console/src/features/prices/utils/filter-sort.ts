import type { DecisionReason } from '../../../shared/components/ReasonBadge';
import type { PriceRow } from './price-rows';

export const SORT_KEYS = [
  'code',
  'category',
  'stockUnits',
  'daysToExpiry',
  'listPrice',
  'legacyPrice',
  'currentPrice',
  'recommendedPrice',
  'changeVsListPct',
  'marginPct',
  'reason',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export const STATUS_FILTERS = ['all', 'frozen', 'override', 'expiring', 'bound'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface PriceFilters {
  search: string;
  category: string | null;
  reason: DecisionReason | null;
  status: StatusFilter;
}

/** "Expiring" = the oldest lot has at most this many days left (the markdown ladder's range). */
export const EXPIRING_WITHIN_DAYS = 2;

function sortValue(row: PriceRow, key: SortKey): string | number | null {
  switch (key) {
    case 'code':
      return row.code;
    case 'category':
      return row.category;
    case 'stockUnits':
      return row.stockUnits;
    case 'daysToExpiry':
      return row.daysToExpiry;
    case 'listPrice':
      return row.listPrice;
    case 'legacyPrice':
      return row.legacyPrice;
    case 'currentPrice':
      return row.currentPrice;
    case 'recommendedPrice':
      return row.recommended?.price ?? null;
    case 'changeVsListPct':
      return row.changeVsListPct;
    case 'marginPct':
      return row.marginPct;
    case 'reason':
      return row.recommended?.reason ?? null;
  }
}

export function matchesFilters(row: PriceRow, { search, category, reason, status }: PriceFilters): boolean {
  const needle = search.trim().toLowerCase();
  if (needle && !row.code.toLowerCase().includes(needle) && !row.name.toLowerCase().includes(needle)) return false;
  if (category && row.category !== category) return false;
  if (reason && row.recommended?.reason !== reason) return false;
  switch (status) {
    case 'all':
      return true;
    case 'frozen':
      return row.guardrails.frozen;
    case 'override':
      return row.override !== null;
    case 'expiring':
      return row.daysToExpiry !== null && row.daysToExpiry <= EXPIRING_WITHIN_DAYS;
    case 'bound':
      return row.recommended?.boundBy != null;
  }
}

/** Filtered, then sorted; missing values (no stock, no decision) always last, ties by SKU code. */
export function filterAndSort(rows: readonly PriceRow[], filters: PriceFilters, sort: SortState): PriceRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .filter((row) => matchesFilters(row, filters))
    .sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      if (x === null && y === null) return a.code.localeCompare(b.code);
      if (x === null) return 1;
      if (y === null) return -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? sign * order : a.code.localeCompare(b.code);
    });
}
