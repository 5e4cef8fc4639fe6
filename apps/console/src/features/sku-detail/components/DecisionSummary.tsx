import type { Schemas } from '@dynaprice/api-client';
import { describeBoundBy, ReasonBadge } from '../../../shared/components/ReasonBadge';
import { formatDateTime, formatDays, formatMoney, formatNumber, formatPercent } from '../../../shared/utils/format';

export interface DecisionSummaryProps {
  decision: Schemas['DecisionDto'];
}

/** The decision behind the price: what, why, from which model and variant, and what was expected. */
export function DecisionSummary({ decision }: DecisionSummaryProps) {
  const money = (value: number) => formatMoney(value, decision.currency);
  const margin = ((decision.price - decision.unitCost) / decision.price) * 100;
  return (
    <dl className="definition-list" aria-label="Decision">
      <dt>Price</dt>
      <dd>
        <strong>{money(decision.price)}</strong> <ReasonBadge reason={decision.reason} boundBy={decision.boundBy} />
      </dd>
      <dt>List price · unit cost</dt>
      <dd>
        {money(decision.listPrice)} · {money(decision.unitCost)} (margin {formatPercent(margin)})
      </dd>
      <dt>Expected over the horizon</dt>
      <dd>
        {formatNumber(decision.expectedUnits, 1)} units, {money(decision.expectedMargin)} gross margin after waste
      </dd>
      <dt>Stock · days left</dt>
      <dd>
        {formatNumber(decision.stockUnits, 1)} units · {formatDays(decision.daysToExpiry)}
      </dd>
      {decision.boundBy && (
        <>
          <dt>Bound by</dt>
          <dd>{describeBoundBy(decision.boundBy)}</dd>
        </>
      )}
      {decision.relaxed.length > 0 && (
        <>
          <dt>Relaxed guardrails</dt>
          <dd>{decision.relaxed.map((name) => describeBoundBy(name)).join(', ')} (could not all hold)</dd>
        </>
      )}
      <dt>Model · variant</dt>
      <dd>
        {decision.modelVersion ?? 'none'} · {decision.variant}
      </dd>
      <dt>Decided · valid until</dt>
      <dd>
        {formatDateTime(decision.decidedAt)} · {formatDateTime(decision.validUntil)}
      </dd>
      <dt>Decision · request · caller</dt>
      <dd>
        <code>{decision.id}</code> · <code>{decision.requestId}</code> · {decision.caller}
      </dd>
    </dl>
  );
}
