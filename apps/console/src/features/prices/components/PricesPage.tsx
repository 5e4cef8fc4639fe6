import { RequirePermission } from '../../auth/components/RequirePermission';
import { CapabilityGate } from '../../capabilities/components/CapabilityGate';
import { PRICES_OPERATIONS } from '../../navigation/utils/pages';
import { PricesWorkspace } from './PricesWorkspace';

export function PricesPage() {
  return (
    <RequirePermission permission="prices:quote" feature="Prices">
      <CapabilityGate feature="Prices" requires={PRICES_OPERATIONS}>
        <PricesWorkspace />
      </CapabilityGate>
    </RequirePermission>
  );
}
