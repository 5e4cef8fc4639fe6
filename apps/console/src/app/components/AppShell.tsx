import { Suspense } from 'react';
import { Outlet } from 'react-router-dom';
import { LoadingState } from '../../shared/components/LoadingState';
import { UserMenu } from '../../features/auth/components/UserMenu';
import { useAccess } from '../../features/auth/hooks/useAccess';
import { SideNav } from '../../features/navigation/components/SideNav';

/** Navigation on the left, the signed-in user on top, the page below. */
export function AppShell() {
  const access = useAccess();
  return (
    <div className="app-shell">
      <SideNav />
      <div className="app-shell__main">
        <header className="app-header">
          <span className="muted">Dynamic pricing for perishable goods</span>
          <UserMenu />
        </header>
        {access.mode === 'open' && (
          <p className="banner banner--info" role="note">
            This server has no sign-in yet (its OpenAPI document lists no <code>POST /v1/auth/login</code>): every page is shown and changes are recorded as an
            anonymous caller.
          </p>
        )}
        <main className="app-shell__content">
          <Suspense fallback={<LoadingState label="Loading the page…" />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
