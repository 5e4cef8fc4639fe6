import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/skus, every page (the price table filters and sorts in the browser). */
export function useSkus() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.skus.list(),
    queryFn: () => fetchAllPages((offset, limit) => unwrap(client.GET('/v1/skus', { params: { query: { offset, limit } } }))),
  });
}
