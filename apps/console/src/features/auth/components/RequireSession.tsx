import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useApi } from '../../../api/api-context';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { useAccess } from '../hooks/useAccess';
import { useMe } from '../hooks/useMe';
import { useSessionExpiry } from '../hooks/useSessionExpiry';

/** Every console page: signed in (or an open server), else the sign-in page and back here after. */
export function RequireSession() {
  const access = useAccess();
  const me = useMe();
  const { session } = useApi();
  const location = useLocation();
  useSessionExpiry();
  const user = me.data;
  useEffect(() => {
    if (user?.email) session.updateUser({ id: user.id, email: user.email, role: user.role });
  }, [user, session]);

  if (access.mode === 'signed-out') {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?from=${encodeURIComponent(from)}`} replace />;
  }
  if (access.mode === 'signed-in' && !access.ready) {
    if (me.error) return <ErrorState title="Your session could not be checked." error={me.error} onRetry={() => void me.refetch()} />;
    return <LoadingState label="Checking your session…" />;
  }
  return <Outlet />;
}
