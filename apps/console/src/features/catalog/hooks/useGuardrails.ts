import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/guardrails: every level (global, categories, SKUs). */
export function useGuardrails() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.guardrails.list(),
    queryFn: () => unwrap(client.GET('/v1/guardrails')),
  });
}
