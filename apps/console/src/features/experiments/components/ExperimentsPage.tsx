import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { EXPERIMENTS_OPERATIONS } from '../../navigation/utils/pages';
import { ExperimentsWorkspace } from './ExperimentsWorkspace';

export function ExperimentsPage() {
  return (
    <RequirePermission permission="experiments:read" feature="Experiments">
      <CapabilityGate feature="Experiments" requires={EXPERIMENTS_OPERATIONS}>
        <ExperimentsWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
