import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { queryKeys } from '../../../api/query-keys';
import { Capabilities, parseCapabilities } from '../utils/capabilities';

/** GET /docs-json: the server's own OpenAPI document, read once per session (it changes only on deploy). */
export function useCapabilitiesQuery(): UseQueryResult<Capabilities> {
  const { getJson } = useApi();
  return useQuery({
    queryKey: queryKeys.capabilities(),
    queryFn: async () => parseCapabilities(await getJson('/docs-json')),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

const NONE = new Capabilities([]);

/** The loaded capabilities (the app shell waits for them before it renders a page). */
export function useCapabilities(): Capabilities {
  return useCapabilitiesQuery().data ?? NONE;
}
