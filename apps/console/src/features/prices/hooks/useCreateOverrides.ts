import { requestBody, type RequestBody } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';
import type { BulkOutcome } from './useApplySkuGuardrails';

/** POST /v1/overrides for each SKU of a selection, one after another. */
export function useCreateOverrides() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (bodies: ReadonlyArray<RequestBody<'CreateOverrideDto'>>): Promise<BulkOutcome> => {
      const outcome: BulkOutcome = { succeeded: [], failed: [] };
      for (const body of bodies) {
        try {
          await unwrap(client.POST('/v1/overrides', { body: requestBody('CreateOverrideDto', body) }));
          outcome.succeeded.push(body.skuCode);
        } catch (error) {
          outcome.failed.push({ code: body.skuCode, error });
        }
      }
      return outcome;
    },
    onSettled: () => invalidateAll(queryClient, [queryKeys.overrides.all, ...PRICING_DERIVED]),
  });
}
