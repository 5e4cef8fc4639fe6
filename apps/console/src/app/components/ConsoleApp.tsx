import { AppRoutes } from './AppRoutes';
import { CapabilitiesReady } from './CapabilitiesReady';

export function ConsoleApp() {
  return (
    <CapabilitiesReady>
      <AppRoutes />
    </CapabilitiesReady>
  );
}
