import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

/** DELETE /v1/overrides/{id}: ends the override now (it stays on record). */
export function useCancelOverride() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE('/v1/overrides/{id}', { params: { path: { id } } })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.overrides.all, ...PRICING_DERIVED]),
  });
}
