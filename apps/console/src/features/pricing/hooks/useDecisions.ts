import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys, type DecisionFilters } from '../../../api/query-keys';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';

/** GET /v1/decisions: one page, newest first (at most 31 days per query). */
export function useDecisions(filters: DecisionFilters, options: { enabled?: boolean } = {}) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.decisions.list(filters),
    enabled: options.enabled ?? true,
    queryFn: () =>
      unwrap(
        client.GET('/v1/decisions', {
          params: { query: { ...filters, reason: filters.reason as DecisionReason | undefined, limit: filters.limit ?? 1000 } },
        }),
      ),
  });
}
