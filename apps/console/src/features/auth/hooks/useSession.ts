import { useSyncExternalStore } from 'react';
import { useApi } from '../../../api/api-context';
import type { SessionState } from '../utils/session-store';

export function useSession(): SessionState {
  const { session } = useApi();
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}
