import { requestBody, type RequestBody, type Schemas } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

export interface SkuGuardrailChange {
  code: string;
  /** The SKU's own level, if it has one (patched), else one is created. */
  existing: Schemas['GuardrailDto'] | null;
  body: RequestBody<'UpdateGuardrailDto'>;
}

export interface BulkOutcome {
  succeeded: string[];
  failed: Array<{ code: string; error: unknown }>;
}

/** SKU-level guardrails for a selection (freeze, unfreeze, edit): PATCH or POST per SKU, one after another. */
export function useApplySkuGuardrails() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: readonly SkuGuardrailChange[]): Promise<BulkOutcome> => {
      const outcome: BulkOutcome = { succeeded: [], failed: [] };
      for (const { code, existing, body } of changes) {
        try {
          if (existing) await unwrap(client.PATCH('/v1/guardrails/{id}', { params: { path: { id: existing.id } }, body: requestBody('UpdateGuardrailDto', body) }));
          else await unwrap(client.POST('/v1/guardrails', { body: requestBody('CreateGuardrailDto', { scope: 'sku', scopeKey: code, ...body }) }));
          outcome.succeeded.push(code);
        } catch (error) {
          outcome.failed.push({ code, error });
        }
      }
      return outcome;
    },
    onSettled: () => invalidateAll(queryClient, [queryKeys.guardrails.all, ...PRICING_DERIVED]),
  });
}
