import type { Schemas } from '@dynaprice/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { invalidateAll, PRICING_DERIVED, queryKeys } from '../../../api/query-keys';

export interface RollbackInput {
  alias: Schemas['AliasDto']['alias'];
  body: Schemas['RollbackModelDto'];
}

/** POST /v1/models/aliases/{alias}/rollback: back to the version the alias served before its latest promotion. */
export function useRollbackAlias() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ alias, body }: RollbackInput) =>
      // The API's document omits this route's `alias` path parameter (no @ApiParam), so the generated
      // type allows no path params; openapi-fetch still fills `{alias}` from them at run time.
      unwrap(client.POST('/v1/models/aliases/{alias}/rollback', { params: { path: { alias } } as unknown as { path?: never }, body })),
    onSettled: () => invalidateAll(queryClient, [queryKeys.models.all, ...PRICING_DERIVED]),
  });
}
