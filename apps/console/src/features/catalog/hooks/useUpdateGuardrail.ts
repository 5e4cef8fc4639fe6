import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

export interface UpdateGuardrailInput {
  id: string;
  body: RequestBody<'UpdateGuardrailDto'>;
}

/** PATCH /v1/guardrails/{id}. */
export function useUpdateGuardrail() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: UpdateGuardrailInput) => unwrap(client.PATCH('/v1/guardrails/{id}', { params: { path: { id } }, body: requestBody('UpdateGuardrailDto', body) })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.guardrails.all, ...PRICING_DERIVED]),
  });
}
