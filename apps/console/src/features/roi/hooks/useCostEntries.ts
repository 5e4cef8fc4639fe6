import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/roi/costs, every page. */
export function useCostEntries() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.roi.costs(),
    queryFn: () => fetchAllPages((offset, limit) => unwrap(client.GET('/v1/roi/costs', { params: { query: { offset, limit } } }))),
  });
}
