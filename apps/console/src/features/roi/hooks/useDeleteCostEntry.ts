import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, queryKeys } from '../../../api/query-keys';

/** DELETE /v1/roi/costs/{id}. */
export function useDeleteCostEntry() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE('/v1/roi/costs/{id}', { params: { path: { id } } })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.roi.all]),
  });
}
