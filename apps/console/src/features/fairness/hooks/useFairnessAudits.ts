import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/fairness/audits, newest first, page by page (the `before` cursor). */
export function useFairnessAudits() {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.fairness.audits(),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(client.GET('/v1/fairness/audits', { params: { query: { limit: 20, before: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
