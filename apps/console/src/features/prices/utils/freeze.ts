import type { SkuGuardrailChange } from '../hooks/useApplySkuGuardrails';
import type { PriceRow } from './price-rows';

/**
 * Freezing sets the SKU's own level to frozen. Unfreezing clears it — or, when the category or the
 * whole chain is frozen, sets "not frozen" on the SKU so that it prices again.
 */
export function freezeChange(row: PriceRow, frozen: boolean): SkuGuardrailChange {
  return { code: row.code, existing: row.skuGuardrail, body: { frozen: frozen ? true : row.inherited.frozen ? false : null } };
}
