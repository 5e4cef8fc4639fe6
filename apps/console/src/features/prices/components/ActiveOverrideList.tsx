import type { Schemas } from '@dynaprice/api-client';
import { describeError } from '../../../api/api-error';
import { formatDateTime, formatMoney } from '../../../shared/utils/format';
import { useCancelOverride } from '../../catalog/hooks/useCancelOverride';

export interface ActiveOverrideListProps {
  overrides: ReadonlyArray<Schemas['OverrideDto']>;
  currency: string;
  canCancel: boolean;
}

/** The overrides in force for a SKU here, each with a way to end it now. */
export function ActiveOverrideList({ overrides, currency, canCancel }: ActiveOverrideListProps) {
  const cancel = useCancelOverride();
  if (overrides.length === 0) return null;
  return (
    <section className="stack" aria-label="Overrides in force">
      <h3>In force now</h3>
      <ul className="stack plain-list">
        {overrides.map((override) => (
          <li key={override.id}>
            <div className="row">
              <span>
                <strong>{formatMoney(override.price, currency)}</strong> {override.storeId ? `in ${override.storeId}` : 'in every store'} until {formatDateTime(override.endsAt)} —{' '}
                {override.reason} <span className="muted">({override.createdBy})</span>
              </span>
              {canCancel && (
                <button
                  type="button"
                  className="button button--small button--danger"
                  disabled={cancel.isPending}
                  onClick={() => cancel.mutate(override.id)}
                  aria-label={`End override of ${formatMoney(override.price, currency)} now`}
                >
                  End now
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {cancel.error !== null && (
        <p className="notice notice--error" role="alert">
          {describeError(cancel.error)}
        </p>
      )}
    </section>
  );
}
