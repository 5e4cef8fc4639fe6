import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/api-context';
import { createQueryClient } from './api/query-client';
import { App } from './app/components/App';
import { createSessionStore } from './features/auth/utils/session-store';
import './styles/base.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const api = createApi({ baseUrl: window.location.origin, session: createSessionStore() });
createRoot(root).render(
  <StrictMode>
    <App api={api} queryClient={createQueryClient()} />
  </StrictMode>,
);
