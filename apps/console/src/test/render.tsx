import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { createApi, type ApiContextValue } from '../api/api-context';
import { ApiProvider } from '../api/ApiProvider';
import { createQueryClient } from '../api/query-client';
import { CapabilitiesReady } from '../app/components/CapabilitiesReady';
import { createSessionStore, type LoginResult, type SessionStore } from '../features/auth/utils/session-store';
import type { FakeApi } from './fake-api';

export interface RenderOptions {
  /** The URL the app starts at. */
  route?: string;
  /** The route pattern the element is mounted at (for useParams), default: any path. */
  path?: string;
  session?: LoginResult;
}

export interface Rendered extends RenderResult {
  api: ApiContextValue;
  session: SessionStore;
}

/** Renders `element` with a fresh query cache and the API client pointed at `fake`. */
export function renderWithApi(element: ReactElement, fake: FakeApi, options: RenderOptions = {}): Rendered {
  const session = createSessionStore(window.sessionStorage);
  if (options.session) session.signIn(options.session);
  const api = createApi({ baseUrl: 'http://console.test', session, fetch: fake.fetch });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const result = render(
    <ApiProvider api={api} queryClient={queryClient}>
      <MemoryRouter initialEntries={[options.route ?? '/']}>
        <CapabilitiesReady>
          <Routes>
            <Route path={options.path ?? '*'} element={element} />
          </Routes>
        </CapabilitiesReady>
      </MemoryRouter>
    </ApiProvider>,
  );
  return { ...result, api, session };
}

export function loginResult(role: LoginResult['user']['role'], email = `${role}@demo.dynaprice.dev`): LoginResult {
  return { accessToken: `token-${role}`, tokenType: 'Bearer', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: { id: `id-${role}`, email, role } };
}
