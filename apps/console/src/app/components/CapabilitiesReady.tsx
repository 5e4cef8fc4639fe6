import type { ReactNode } from 'react';
import { ErrorState } from '../../shared/components/ErrorState';
import { LoadingState } from '../../shared/components/LoadingState';
import { useCapabilitiesQuery } from '../../features/capabilities/hooks/useCapabilities';

export interface CapabilitiesReadyProps {
  children: ReactNode;
}

/** Reads what the server offers (its OpenAPI document) before anything else: every page depends on it. */
export function CapabilitiesReady({ children }: CapabilitiesReadyProps) {
  const capabilities = useCapabilitiesQuery();
  if (capabilities.isPending) {
    return (
      <div className="full-page-state">
        <LoadingState label="Connecting to the Dynaprice API…" />
      </div>
    );
  }
  if (capabilities.error) {
    return (
      <div className="full-page-state">
        <ErrorState title="The Dynaprice API cannot be reached." error={capabilities.error} onRetry={() => void capabilities.refetch()} />
      </div>
    );
  }
  return <>{children}</>;
}
