import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

export interface CallAuditFilters {
  caller?: string;
  store?: string;
  sku?: string;
  from?: string;
  to?: string;
}

/** GET /v1/audit page by page (nextCursor): every call — who, route, status, payload hash, decisions. */
export function useCallAudit(filters: CallAuditFilters, enabled: boolean) {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.audit.calls({ ...filters }),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(client.GET('/v1/audit', { params: { query: { ...filters, limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
