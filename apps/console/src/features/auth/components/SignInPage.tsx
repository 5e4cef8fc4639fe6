import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAccess } from '../hooks/useAccess';
import { useLogin } from '../hooks/useLogin';
import { useSession } from '../hooks/useSession';
import { SignInForm } from './SignInForm';

/** Where to go after signing in: the page that sent the user here, if it is one of ours. */
function returnPath(search: string): string {
  const from = new URLSearchParams(search).get('from');
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/sign-in') ? from : '/';
}

export function SignInPage() {
  const access = useAccess();
  const { notice } = useSession();
  const login = useLogin();
  const location = useLocation();
  const navigate = useNavigate();
  const target = returnPath(location.search);

  if (access.mode !== 'signed-out') return <Navigate to={target} replace />;
  return (
    <main className="sign-in">
      <section className="card sign-in__card">
        <div className="stack">
          <h1>Dynaprice</h1>
          <p className="muted">Sign in to the pricing console.</p>
        </div>
        {notice && (
          <p className="notice notice--info" role="status">
            {notice}
          </p>
        )}
        <SignInForm pending={login.isPending} error={login.error} onSubmit={(credentials) => login.mutate(credentials, { onSuccess: () => navigate(target, { replace: true }) })} />
        <p className="muted">The embedded demo creates one user per role (role@demo.dynaprice.dev); the README lists them.</p>
      </section>
    </main>
  );
}
