import { createApiClient, type ApiClient } from '@dynaprice/api-client';
import { createContext, useContext } from 'react';
import type { SessionStore } from '../features/auth/utils/session-store';

export interface ApiContextValue {
  /** The typed client (openapi-fetch over the generated schema). */
  client: ApiClient;
  /** A plain GET on the same server, for documents outside the typed paths (the OpenAPI document). */
  getJson: (path: string) => Promise<unknown>;
  session: SessionStore;
}

export interface CreateApiOptions {
  baseUrl: string;
  session: SessionStore;
  fetch?: (request: Request) => Promise<Response>;
}

/** One client per console: the session's bearer token on every call; a 401 ends the session. */
export function createApi({ baseUrl, session, fetch: fetchImpl = (request) => globalThis.fetch(request) }: CreateApiOptions): ApiContextValue {
  const client = createApiClient({ baseUrl, fetch: fetchImpl });
  client.use({
    onRequest({ request }) {
      const token = session.getSnapshot().token;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response, request }) {
      if (response.status === 401 && request.headers.has('Authorization')) session.expire('Your session has ended: sign in again.');
      return response;
    },
  });
  return {
    client,
    session,
    async getJson(path) {
      const token = session.getSnapshot().token;
      const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const response = await fetchImpl(new Request(new URL(path, baseUrl), { headers }));
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
      return response.json();
    },
  };
}

export const ApiContext = createContext<ApiContextValue | null>(null);

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi must be used inside <ApiProvider>');
  return value;
}
