import type { Schemas } from '@dynaprice/api-client';
import { formatDateTime, formatNumber } from '../../../shared/utils/format';

export interface CallAuditTableProps {
  entries: ReadonlyArray<Schemas['AuditEntryDto']>;
}

export function CallAuditTable({ entries }: CallAuditTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="API calls">
        <thead>
          <tr>
            <th scope="col">At</th>
            <th scope="col">Caller</th>
            <th scope="col">Call</th>
            <th scope="col" className="num">Status</th>
            <th scope="col" className="num">Time</th>
            <th scope="col">Stores · SKUs</th>
            <th scope="col">Payload hash</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.at)}</td>
              <td>
                {entry.caller}
                <span className="table__sub">
                  {entry.role ?? entry.callerKind} · {entry.sourceIp}
                </span>
              </td>
              <th scope="row">
                <code>
                  {entry.method} {entry.route}
                </code>
                {entry.detail && <span className="table__sub">{entry.detail}</span>}
              </th>
              <td className="num">
                <span className={`badge ${entry.status >= 400 ? 'badge--fallback' : 'badge--success'}`}>{entry.status}</span>
              </td>
              <td className="num">{formatNumber(entry.durationMs, 1)} ms</td>
              <td>
                {[...(entry.storeIds ?? []), ...(entry.skuCodes ?? [])].join(', ') || '—'}
                {entry.decisionIds && entry.decisionIds.length > 0 && <span className="table__sub">{entry.decisionIds.length} decisions</span>}
              </td>
              <td>{entry.payloadHash ? <code title={entry.payloadHash}>{entry.payloadHash.slice(0, 10)}…</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
