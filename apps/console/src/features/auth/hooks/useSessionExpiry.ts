import { useEffect } from 'react';
import { useApi } from '../../../api/api-context';
import { useSession } from './useSession';

/** Ends the session when its token expires, so the next click lands on the sign-in page, not a 401. */
export function useSessionExpiry(): void {
  const { session } = useApi();
  const { expiresAt } = useSession();
  useEffect(() => {
    if (!expiresAt) return;
    const delay = Math.min(Date.parse(expiresAt) - Date.now(), 2_147_000_000);
    const timer = window.setTimeout(() => session.expire('Your session expired: sign in again.'), Math.max(delay, 0));
    return () => window.clearTimeout(timer);
  }, [expiresAt, session]);
}
