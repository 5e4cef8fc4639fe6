import type { QueryClient } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import type { ApiContextValue } from '../../api/api-context';
import { ApiProvider } from '../../api/ApiProvider';
import { ConsoleApp } from './ConsoleApp';

export interface AppProps {
  api: ApiContextValue;
  queryClient: QueryClient;
}

export function App({ api, queryClient }: AppProps) {
  return (
    <ApiProvider api={api} queryClient={queryClient}>
      <BrowserRouter>
        <ConsoleApp />
      </BrowserRouter>
    </ApiProvider>
  );
}
