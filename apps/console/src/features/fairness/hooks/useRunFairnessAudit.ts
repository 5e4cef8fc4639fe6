import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, queryKeys } from '../../../api/query-keys';

/** POST /v1/fairness/audits with the server's configured attributes and thresholds: an audit on demand. */
export function useRunFairnessAudit() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(client.POST('/v1/fairness/audits', { body: {} })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.fairness.audits()]),
  });
}
