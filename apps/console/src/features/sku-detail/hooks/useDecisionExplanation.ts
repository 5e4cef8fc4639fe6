import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/decisions/{id}/explanation: TreeSHAP attributions, runner-ups and what bound the price. */
export function useDecisionExplanation(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.explanation(id ?? ''),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => unwrap(client.GET('/v1/decisions/{id}/explanation', { params: { path: { id: id ?? '' } } })),
  });
}
