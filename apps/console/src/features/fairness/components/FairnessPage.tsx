import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { FAIRNESS_OPERATIONS } from '../../navigation/utils/pages';
import { FairnessWorkspace } from './FairnessWorkspace';

export function FairnessPage() {
  return (
    <RequirePermission permission="fairness:read" feature="Fairness">
      <CapabilityGate feature="Fairness" requires={FAIRNESS_OPERATIONS}>
        <FairnessWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
