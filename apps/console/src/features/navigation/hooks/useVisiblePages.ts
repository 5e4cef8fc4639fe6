import { useAccess } from '../../auth/hooks/useAccess';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { visiblePages } from '../utils/pages';

export function useVisiblePages() {
  const access = useAccess();
  const capabilities = useCapabilities();
  return visiblePages(access.can, capabilities);
}
