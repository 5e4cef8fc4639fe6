import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/skus/{code}. */
export function useSku(code: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.skus.detail(code),
    queryFn: () => unwrap(client.GET('/v1/skus/{code}', { params: { path: { code } } })),
  });
}
