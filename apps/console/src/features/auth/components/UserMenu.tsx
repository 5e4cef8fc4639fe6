import { useNavigate } from 'react-router-dom';
import { useAccess } from '../hooks/useAccess';
import { useLogout } from '../hooks/useLogout';
import { ROLE_LABELS } from '../utils/permissions';

/** Who is signed in, with their role, and the way out — or that the server signs nobody in. */
export function UserMenu() {
  const access = useAccess();
  const logout = useLogout();
  const navigate = useNavigate();
  if (access.mode === 'open') return <span className="badge">No sign-in on this server</span>;
  if (!access.user) return null;
  const signOut = () => logout.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) });
  return (
    <div className="row" aria-label="Signed-in user">
      <span>{access.user.email}</span>
      <span className="badge" data-testid="user-role">
        {ROLE_LABELS[access.user.role]}
      </span>
      <button type="button" className="button button--small" onClick={signOut} disabled={logout.isPending}>
        Sign out
      </button>
    </div>
  );
}
