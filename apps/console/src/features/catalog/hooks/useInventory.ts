import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/inventory?storeId=, every lot of the store. */
export function useInventory(storeId: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.inventory.byStore(storeId ?? ''),
    queryFn: () =>
      fetchAllPages((offset, limit) => unwrap(client.GET('/v1/inventory', { params: { query: { storeId: storeId ?? undefined, offset, limit } } }))),
    enabled: storeId !== null,
  });
}
