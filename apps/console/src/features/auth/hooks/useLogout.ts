import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';

/** POST /v1/auth/logout (revokes the token where the server offers it), then forgets the session. */
export function useLogout() {
  const { client, session } = useApi();
  const queryClient = useQueryClient();
  const revokes = useCapabilities().has('post', '/v1/auth/logout');
  return useMutation({
    mutationFn: async () => {
      // Signing out never fails for the user: a refused or failed revocation still ends the session here.
      if (revokes) await client.POST('/v1/auth/logout').catch(() => undefined);
    },
    onSettled: () => {
      session.signOut();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'capabilities' });
    },
  });
}
