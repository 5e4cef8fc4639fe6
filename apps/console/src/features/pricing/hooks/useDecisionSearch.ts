import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys, type DecisionFilters } from '../../../api/query-keys';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';

/** GET /v1/decisions page by page (the `before` cursor), for the audit trail. */
export function useDecisionSearch(filters: DecisionFilters, options: { enabled?: boolean } = {}) {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.decisions.search(filters),
    enabled: options.enabled ?? true,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.GET('/v1/decisions', {
          params: { query: { ...filters, reason: filters.reason as DecisionReason | undefined, limit: filters.limit ?? 100, before: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
