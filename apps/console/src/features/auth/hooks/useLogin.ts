import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import type { LoginResult } from '../utils/session-store';

export interface Credentials {
  email: string;
  password: string;
}

/** POST /v1/auth/login; on success the session holds the token and every cached query is dropped. */
export function useLogin() {
  const { client, session } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials): Promise<LoginResult> => unwrap(client.POST('/v1/auth/login', { body: credentials })),
    onSuccess: (result) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'capabilities' });
      session.signIn(result);
    },
  });
}
