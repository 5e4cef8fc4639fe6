import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';
import { SORT_KEYS, STATUS_FILTERS, type PriceFilters, type SortKey, type SortState, type StatusFilter } from '../utils/filter-sort';

const REASONS: readonly DecisionReason[] = ['model', 'legacy', 'override', 'guardrail', 'fallback'];

export interface PriceTableState {
  storeId: string | null;
  filters: PriceFilters;
  sort: SortState;
  setStore: (storeId: string) => void;
  setFilters: (patch: Partial<PriceFilters>) => void;
  toggleSort: (key: SortKey) => void;
}

/** Store, filters and sort live in the URL: a view can be bookmarked and shared. */
export function usePriceTableState(): PriceTableState {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: Record<string, string | null>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(patch)) {
            if (value === null || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const filters = useMemo<PriceFilters>(() => {
    const reason = params.get('reason');
    const status = params.get('status');
    return {
      search: params.get('q') ?? '',
      category: params.get('category') || null,
      reason: REASONS.includes(reason as DecisionReason) ? (reason as DecisionReason) : null,
      status: STATUS_FILTERS.includes(status as StatusFilter) ? (status as StatusFilter) : 'all',
    };
  }, [params]);
  const sort = useMemo<SortState>(() => {
    const key = params.get('sort');
    return { key: SORT_KEYS.includes(key as SortKey) ? (key as SortKey) : 'code', direction: params.get('dir') === 'desc' ? 'desc' : 'asc' };
  }, [params]);

  return {
    storeId: params.get('store'),
    filters,
    sort,
    setStore: (storeId) => update({ store: storeId }),
    setFilters: (patch) =>
      update({
        ...('search' in patch ? { q: patch.search ?? null } : {}),
        ...('category' in patch ? { category: patch.category ?? null } : {}),
        ...('reason' in patch ? { reason: patch.reason ?? null } : {}),
        ...('status' in patch ? { status: patch.status === 'all' ? null : (patch.status ?? null) } : {}),
      }),
    toggleSort: (key) => update({ sort: key, dir: sort.key === key && sort.direction === 'asc' ? 'desc' : 'asc' }),
  };
}
