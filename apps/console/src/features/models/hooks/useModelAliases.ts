import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/models/aliases: which version serves as champion and as challenger. */
export function useModelAliases() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.models.aliases(),
    queryFn: () => unwrap(client.GET('/v1/models/aliases')),
  });
}
