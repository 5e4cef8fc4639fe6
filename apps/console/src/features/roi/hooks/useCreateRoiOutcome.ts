import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, queryKeys } from '../../../api/query-keys';

/** POST /v1/roi/outcomes. */
export function useCreateRoiOutcome() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'CreateRoiOutcomeDto'>) => unwrap(client.POST('/v1/roi/outcomes', { body: requestBody('CreateRoiOutcomeDto', body) })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.roi.all]),
  });
}
