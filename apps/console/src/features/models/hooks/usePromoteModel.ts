import type { Schemas } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

export interface PromoteInput {
  id: string;
  body: Schemas['PromoteModelDto'];
}

/** POST /v1/models/{id}/promote: the alias serves this version once the call returns (prices move with it). */
export function usePromoteModel() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: PromoteInput) => unwrap(client.POST('/v1/models/{id}/promote', { params: { path: { id } }, body })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.models.all, ...PRICING_DERIVED]),
  });
}
