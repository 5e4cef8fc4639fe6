import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { ROI_OPERATIONS } from '../../navigation/utils/pages';
import { RoiWorkspace } from './RoiWorkspace';

export function RoiPage() {
  return (
    <RequirePermission permission="roi:read" feature="ROI">
      <CapabilityGate feature="ROI" requires={ROI_OPERATIONS}>
        <RoiWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
