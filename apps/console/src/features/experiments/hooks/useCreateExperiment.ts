import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, queryKeys } from '../../../api/query-keys';

/** POST /v1/experiments: a draft, which prices nothing until it starts. */
export function useCreateExperiment() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<'CreateExperimentDto'>) => unwrap(client.POST('/v1/experiments', { body: requestBody('CreateExperimentDto', body) })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.experiments.all]),
  });
}
