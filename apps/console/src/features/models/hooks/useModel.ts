import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/models/{id}: one version with its card. Versions are immutable. */
export function useModel(id: string | null, options: { enabled?: boolean } = {}) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.models.detail(id ?? ''),
    enabled: id !== null && (options.enabled ?? true),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => unwrap(client.GET('/v1/models/{id}', { params: { path: { id: id ?? '' } } })),
  });
}
