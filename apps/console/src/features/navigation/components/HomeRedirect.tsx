import { Navigate } from 'react-router-dom';
import { EmptyState } from '../../../shared/components/EmptyState';
import { useAccess } from '../../auth/hooks/useAccess';
import { useVisiblePages } from '../hooks/useVisiblePages';
import { homePath } from '../utils/pages';

export function HomeRedirect() {
  const access = useAccess();
  const home = homePath(useVisiblePages(), access.can);
  if (!home) return <EmptyState title="There is nothing in the console for your role yet." />;
  return <Navigate to={home} replace />;
}
