import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/overrides?storeId=&active=true: overrides in force in the store (its own and chain-wide). */
export function useActiveOverrides(storeId: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.overrides.active(storeId ?? ''),
    queryFn: () =>
      fetchAllPages((offset, limit) =>
        unwrap(client.GET('/v1/overrides', { params: { query: { storeId: storeId ?? undefined, active: true, offset, limit } } })),
      ),
    enabled: storeId !== null,
  });
}
