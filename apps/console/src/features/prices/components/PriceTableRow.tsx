import { Link } from 'react-router-dom';
import { ReasonBadge } from '../../../shared/components/ReasonBadge';
import { formatDate, formatDays, formatMoney, formatNumber, formatPercent, formatSignedPercent } from '../../../shared/utils/format';
import type { PriceRow } from '../utils/price-rows';

export type RowAction = 'override' | 'guardrails' | 'freeze' | 'unfreeze';

export interface PriceTableRowProps {
  row: PriceRow;
  storeId: string;
  currency: string;
  selected: boolean;
  selectable: boolean;
  canEditGuardrails: boolean;
  canOverride: boolean;
  onToggle: (code: string) => void;
  onAction: (action: RowAction, row: PriceRow) => void;
}

export function PriceTableRow({ row, storeId, currency, selected, selectable, canEditGuardrails, canOverride, onToggle, onAction }: PriceTableRowProps) {
  const money = (value: number | null) => formatMoney(value, currency);
  const recommended = row.recommended;
  const detail = `/skus/${encodeURIComponent(row.code)}?store=${encodeURIComponent(storeId)}${recommended ? `&decision=${recommended.decisionId}` : ''}`;
  const change = row.changeVsListPct;
  return (
    <tr data-sku={row.code} aria-selected={selectable ? selected : undefined}>
      {selectable && (
        <td>
          <input type="checkbox" checked={selected} onChange={() => onToggle(row.code)} aria-label={`Select ${row.code} ${row.name}`} />
        </td>
      )}
      <th scope="row">
        <Link to={detail}>{row.code}</Link>
        <span className="table__sub table__name">
          {row.name} · {row.category}
        </span>
      </th>
      <td className="num">
        {formatNumber(row.stockUnits, 1)}
        <span className="table__sub">{row.daysToExpiry === null ? 'no stock' : `${formatDays(row.daysToExpiry)} left`}</span>
      </td>
      <td className="num">{money(row.listPrice)}</td>
      <td className="num">{money(row.legacyPrice)}</td>
      <td className="num">{money(row.currentPrice)}</td>
      <td className="num" data-column="recommended">
        <strong>{recommended ? money(recommended.price) : '—'}</strong>
        {change !== null && <span className={`table__sub ${change > 0 ? 'delta--up' : change < 0 ? 'delta--down' : ''}`}>{formatSignedPercent(change)} vs list</span>}
      </td>
      <td className="num">{formatPercent(row.marginPct)}</td>
      <td data-column="reason" className="wrap">
        <div className="row">
          {recommended && <ReasonBadge reason={recommended.reason} boundBy={recommended.boundBy} />}
          {row.guardrails.frozen && <span className="badge badge--frozen">Frozen</span>}
          {row.override && (
            <span className="badge badge--override" title={row.override.reason}>
              Override {money(row.override.price)} until {formatDate(row.override.endsAt)}
            </span>
          )}
        </div>
      </td>
      {(canOverride || canEditGuardrails) && (
        <td>
          <div className="table__actions table__actions--wrap">
            {canOverride && (
              <button type="button" className="button button--small" onClick={() => onAction('override', row)} aria-label={`Override price of ${row.code}`}>
                Override
              </button>
            )}
            {canEditGuardrails && (
              <>
                <button type="button" className="button button--small" onClick={() => onAction('guardrails', row)} aria-label={`Guardrails of ${row.code}`}>
                  Guardrails
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onAction(row.guardrails.frozen ? 'unfreeze' : 'freeze', row)}
                  aria-label={`${row.guardrails.frozen ? 'Unfreeze' : 'Freeze'} ${row.code}`}
                >
                  {row.guardrails.frozen ? 'Unfreeze' : 'Freeze'}
                </button>
              </>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}
