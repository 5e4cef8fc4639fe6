import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

/** POST /v1/guardrails: a new level; prices and decisions are stale after it. */
export function useCreateGuardrail() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'CreateGuardrailDto'>) => unwrap(client.POST('/v1/guardrails', { body: requestBody('CreateGuardrailDto', body) })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.guardrails.all, ...PRICING_DERIVED]),
  });
}
