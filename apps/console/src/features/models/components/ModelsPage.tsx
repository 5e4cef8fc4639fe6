import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { MODELS_OPERATIONS } from '../../navigation/utils/pages';
import { ModelsWorkspace } from './ModelsWorkspace';

export function ModelsPage() {
  return (
    <RequirePermission permission="models:read" feature="Models">
      <CapabilityGate feature="Models" requires={MODELS_OPERATIONS}>
        <ModelsWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
