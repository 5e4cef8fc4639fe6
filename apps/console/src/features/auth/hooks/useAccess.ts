import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import type { Permission } from '../utils/permissions';
import type { SessionUser } from '../utils/session-store';
import { useMe } from './useMe';
import { useSession } from './useSession';

/**
 * - `open`: the server signs nobody in (its OpenAPI document lists no POST /v1/auth/login): every page
 *   is shown and the server decides;
 * - `signed-out`: the server signs people in and this tab has no session;
 * - `signed-in`: pages and actions follow the permissions GET /v1/auth/me lists for the user's role
 *   (none until it answers).
 */
export type AccessMode = 'open' | 'signed-out' | 'signed-in';

export interface Access {
  mode: AccessMode;
  user: SessionUser | null;
  /** The user's permissions are known (always in open mode). */
  ready: boolean;
  can(permission: Permission): boolean;
}

export function useAccess(): Access {
  const authenticates = useCapabilities().has('post', '/v1/auth/login');
  const session = useSession();
  const me = useMe();
  if (!authenticates) return { mode: 'open', user: null, ready: true, can: () => true };
  if (!session.token || !session.user) return { mode: 'signed-out', user: null, ready: true, can: () => false };
  const permissions = new Set(me.data?.permissions ?? []);
  return { mode: 'signed-in', user: session.user, ready: me.data !== undefined, can: (permission) => permissions.has(permission) };
}
