import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { useSession } from './useSession';

/** GET /v1/auth/me: who the session belongs to and every permission the role holds. */
export function useMe() {
  const { client } = useApi();
  const { token } = useSession();
  const enabled = useCapabilities().has('get', '/v1/auth/me') && token !== null;
  return useQuery({
    queryKey: queryKeys.auth.me(token),
    queryFn: () => unwrap(client.GET('/v1/auth/me')),
    enabled,
    staleTime: 5 * 60_000,
  });
}
