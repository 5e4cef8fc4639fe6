import { describeError } from '../../../api/api-error';
import type { BulkOutcome } from '../hooks/useApplySkuGuardrails';

export interface OutcomeNoticeProps {
  action: string;
  outcome: BulkOutcome;
  onDismiss: () => void;
}

/** What a (bulk) action did: how many SKUs it changed, and each one it could not, with why. */
export function OutcomeNotice({ action, outcome, onDismiss }: OutcomeNoticeProps) {
  const failed = outcome.failed.length > 0;
  return (
    <div className={`notice ${failed ? 'notice--error' : 'notice--success'}`} role={failed ? 'alert' : 'status'}>
      <div className="row">
        <span>
          {action}: {outcome.succeeded.length} SKU{outcome.succeeded.length === 1 ? '' : 's'} done
          {failed ? `, ${outcome.failed.length} failed` : ''}.
        </span>
        <button type="button" className="button button--small button--link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {failed && (
        <ul>
          {outcome.failed.map(({ code, error }) => (
            <li key={code}>
              {code}: {describeError(error)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
