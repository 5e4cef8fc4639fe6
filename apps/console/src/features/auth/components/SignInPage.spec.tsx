import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { signedInApi } from '../../../test/fixtures';
import { reply } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { SignInPage } from './SignInPage';

function Where() {
  const location = useLocation();
  return <p>at {`${location.pathname}${location.search}`}</p>;
}

function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="*" element={<Where />} />
    </Routes>
  );
}

describe(SignInPage.name, () => {
  it('signs in with labelled fields and returns to the page that sent the user here', async () => {
    const fake = signedInApi('merchandiser').on('post', '/v1/auth/login', (request) => {
      expect(request.body).toEqual({ email: 'merchandiser@demo.dynaprice.dev', password: 'dynaprice-demo' });
      return loginResult('merchandiser');
    });
    const { session } = renderWithApi(<App />, fake, { route: '/sign-in?from=%2Fprices%3Fstore%3DS02' });
    await userEvent.type(await screen.findByLabelText('E-mail'), 'merchandiser@demo.dynaprice.dev');
    await userEvent.type(screen.getByLabelText('Password'), 'dynaprice-demo');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('at /prices?store=S02')).toBeInTheDocument();
    expect(session.getSnapshot()).toMatchObject({ token: 'token-merchandiser', user: { role: 'merchandiser' } });
  });

  it('says plainly when the e-mail or the password is wrong', async () => {
    const fake = signedInApi('merchandiser').on('post', '/v1/auth/login', () => reply(401, { status: 401, title: 'Authentication required', detail: 'wrong email or password' }));
    renderWithApi(<App />, fake, { route: '/sign-in' });
    await userEvent.type(await screen.findByLabelText('E-mail'), 'merchandiser@demo.dynaprice.dev');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The e-mail address or the password is not right.');
  });

  it('never sends the user off-site after signing in', async () => {
    const fake = signedInApi('finance').on('post', '/v1/auth/login', () => loginResult('finance'));
    renderWithApi(<App />, fake, { route: '/sign-in?from=%2F%2Fevil.example' });
    await userEvent.type(await screen.findByLabelText('E-mail'), 'finance@demo.dynaprice.dev');
    await userEvent.type(screen.getByLabelText('Password'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByText('at /')).toBeInTheDocument());
  });
});
