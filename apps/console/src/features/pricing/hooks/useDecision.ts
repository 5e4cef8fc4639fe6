import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/decisions/{id}: one decision with its runner-up candidates. Decisions never change. */
export function useDecision(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.decision(id ?? ''),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => unwrap(client.GET('/v1/decisions/{id}', { params: { path: { id: id ?? '' } } })),
  });
}
