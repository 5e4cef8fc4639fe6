import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { operation } from '../../capabilities/utils/capabilities';
import { SkuDetailWorkspace } from './SkuDetailWorkspace';

const SKU_DETAIL_OPERATIONS = [operation('get', '/v1/skus/{code}'), operation('get', '/v1/decisions'), operation('get', '/v1/decisions/{id}'), operation('get', '/v1/stores')];

export function SkuDetailPage() {
  return (
    <RequirePermission permission="decisions:read" feature="SKU detail">
      <CapabilityGate feature="SKU detail" requires={SKU_DETAIL_OPERATIONS}>
        <SkuDetailWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
