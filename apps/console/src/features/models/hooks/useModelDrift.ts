import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/models/{id}/drift: PSI and KS per feature of the live rows against the card's reference. */
export function useModelDrift(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.models.drift(id ?? ''),
    enabled: id !== null,
    queryFn: () => unwrap(client.GET('/v1/models/{id}/drift', { params: { path: { id: id ?? '' } } })),
  });
}
