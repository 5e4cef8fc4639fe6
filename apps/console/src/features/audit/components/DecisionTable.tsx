import type { Schemas } from '@dynaprice/api-client';
import { Link } from 'react-router-dom';
import { ReasonBadge } from '../../../shared/components/ReasonBadge';
import { formatDateTime, formatMoney } from '../../../shared/utils/format';

export interface DecisionTableProps {
  decisions: ReadonlyArray<Schemas['DecisionDto']>;
}

export function DecisionTable({ decisions }: DecisionTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Decisions">
        <thead>
          <tr>
            <th scope="col">Decided</th>
            <th scope="col">Store</th>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              List
            </th>
            <th scope="col">Reason</th>
            <th scope="col">Variant · model</th>
            <th scope="col">Caller</th>
            <th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((decision) => (
            <tr key={decision.id} data-decision={decision.id}>
              <td>{formatDateTime(decision.decidedAt)}</td>
              <td>{decision.storeId}</td>
              <th scope="row">
                <Link to={`/skus/${encodeURIComponent(decision.skuCode)}?store=${encodeURIComponent(decision.storeId)}&decision=${decision.id}`}>{decision.skuCode}</Link>
              </th>
              <td className="num">{formatMoney(decision.price, decision.currency)}</td>
              <td className="num">{formatMoney(decision.listPrice, decision.currency)}</td>
              <td>
                <ReasonBadge reason={decision.reason} boundBy={decision.boundBy} />
              </td>
              <td>
                {decision.variant} · {decision.modelVersion ?? '—'}
              </td>
              <td>{decision.caller}</td>
              <td>
                <code title={decision.requestId}>{decision.requestId.slice(0, 8)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
