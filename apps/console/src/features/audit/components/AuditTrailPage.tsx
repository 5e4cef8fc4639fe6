import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { operation } from '../../capabilities/utils/capabilities';
import { AuditTrailWorkspace } from './AuditTrailWorkspace';

export function AuditTrailPage() {
  return (
    <RequirePermission permission={['decisions:read', 'audit:read']} feature="Audit trail">
      <CapabilityGate feature="Audit trail" requires={[operation('get', '/v1/stores')]}>
        <AuditTrailWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
