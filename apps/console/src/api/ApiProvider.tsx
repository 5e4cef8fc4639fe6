import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiContext, type ApiContextValue } from './api-context';

export interface ApiProviderProps {
  api: ApiContextValue;
  queryClient: QueryClient;
  children: ReactNode;
}

/** The API client and the query cache for everything below. */
export function ApiProvider({ api, queryClient, children }: ApiProviderProps) {
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}
