import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, queryKeys } from '../../../api/query-keys';

/** POST /v1/roi/costs; every ROI figure depends on the costs. */
export function useCreateCostEntry() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'CreateCostEntryDto'>) => unwrap(client.POST('/v1/roi/costs', { body: requestBody('CreateCostEntryDto', body) })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.roi.all]),
  });
}
