import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/fairness/audits/{id}: one stored audit with its inputs and every result. */
export function useFairnessAudit(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.fairness.audit(id ?? ''),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => unwrap(client.GET('/v1/fairness/audits/{id}', { params: { path: { id: id ?? '' } } })),
  });
}
