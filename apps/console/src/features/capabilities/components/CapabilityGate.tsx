import type { ReactNode } from 'react';
import { useCapabilities } from '../hooks/useCapabilities';
import type { Operation } from '../utils/capabilities';
import { UnavailableState } from './UnavailableState';

export interface CapabilityGateProps {
  feature: string;
  requires: readonly Operation[];
  detail?: string;
  children: ReactNode;
}

/** Renders its children only when the server offers every operation they call. */
export function CapabilityGate({ feature, requires, detail, children }: CapabilityGateProps) {
  const missing = useCapabilities().missing(requires);
  if (missing.length > 0) return <UnavailableState feature={feature} missing={missing} detail={detail} />;
  return <>{children}</>;
}
