import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/stores, every page. */
export function useStores() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.stores.list(),
    queryFn: () => fetchAllPages((offset, limit) => unwrap(client.GET('/v1/stores', { params: { query: { offset, limit } } }))),
    staleTime: 5 * 60_000,
  });
}
