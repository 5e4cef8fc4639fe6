import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

export type ExperimentAction = 'start' | 'stop' | 'ship' | 'rollback';

export interface ExperimentActionInput {
  id: string;
  action: ExperimentAction;
  reason: string;
  /** ship only: the variant that prices the whole scope from now on. */
  variant?: string;
}

/** POST /v1/experiments/{id}/start|stop|ship|rollback — each a single recorded decision; prices follow. */
export function useExperimentAction() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason, variant }: ExperimentActionInput) => {
      const path = { params: { path: { id } } };
      switch (action) {
        case 'start':
          return unwrap(client.POST('/v1/experiments/{id}/start', { ...path, body: { reason } }));
        case 'stop':
          return unwrap(client.POST('/v1/experiments/{id}/stop', { ...path, body: { reason } }));
        case 'rollback':
          return unwrap(client.POST('/v1/experiments/{id}/rollback', { ...path, body: { reason } }));
        case 'ship':
          return unwrap(client.POST('/v1/experiments/{id}/ship', { ...path, body: { reason, variant: variant ?? '' } }));
      }
    },
    onSettled: () => invalidateAll(queryClient, [queryKeys.experiments.all, ...PRICING_DERIVED]),
  });
}
