import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/models: every version, newest first, with the aliases pointing at it. */
export function useModels() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.models.list(),
    queryFn: () => fetchAllPages((offset, limit) => unwrap(client.GET('/v1/models', { params: { query: { offset, limit: Math.min(limit, 100) } } }))),
  });
}
