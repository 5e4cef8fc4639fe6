import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatDateTime, formatMoney, formatNumber, formatPercent } from '../../../shared/utils/format';
import { useFairnessAudit } from '../hooks/useFairnessAudit';
import { AuditStatusBadge } from './AuditStatusBadge';
import { SegmentIntervals } from './SegmentIntervals';

export interface FairnessAuditDetailProps {
  auditId: string;
}

const SOURCES = { offered: 'Offered prices', paid: 'Paid prices', counterfactual: 'Counterfactual' } as const;

export function FairnessAuditDetail({ auditId }: FairnessAuditDetailProps) {
  const audit = useFairnessAudit(auditId);
  if (audit.isPending) return <LoadingState label="Loading the audit…" />;
  if (audit.error) return <ErrorState title="The audit could not be loaded." error={audit.error} onRetry={() => void audit.refetch()} />;
  const { data } = audit;
  const counterfactual = data.counterfactual;
  return (
    <section className="card stack" aria-label="Fairness audit">
      <div className="row">
        <h2>Audit of {formatDateTime(data.from)} – {formatDateTime(data.to)}</h2>
        <AuditStatusBadge status={data.status} />
      </div>
      <p className="muted">
        {data.trigger === 'manual' ? `Run by ${data.requestedBy}` : 'Scheduled'} on {formatDateTime(data.finishedAt)}.
      </p>
      {data.reasons.length > 0 && (
        <ul className="plain-list">
          {data.reasons.map((reason) => (
            <li key={`${reason.code}-${reason.message}`}>{reason.message}</li>
          ))}
        </ul>
      )}
      <div className="table-wrap">
        <table className="table" aria-label="Audit results">
          <thead>
            <tr>
              <th scope="col">Prices</th>
              <th scope="col">Attribute</th>
              <th scope="col">Result</th>
              <th scope="col" className="num">Decisions</th>
              <th scope="col" className="num">Raw gap</th>
              <th scope="col" className="num">Gap within strata (95 % CI)</th>
              <th scope="col" className="num">Min / max ratio</th>
              <th scope="col" className="num">Max KS</th>
              <th scope="col" className="num">Moved</th>
            </tr>
          </thead>
          <tbody>
            {data.table.map((row) => (
              <tr key={`${row.source}-${row.attribute}`}>
                <td>{SOURCES[row.source]}</td>
                <th scope="row">
                  {row.attribute}
                  {row.note && <span className="table__sub">{row.note}</span>}
                </th>
                <td>
                  <AuditStatusBadge status={row.status} />
                </td>
                <td className="num">{formatNumber(row.observations)}</td>
                <td className="num">{row.rawGap === null ? '—' : formatPercent(row.rawGap * 100, 2)}</td>
                <td className="num">
                  {row.stratifiedGap === null ? '—' : formatPercent(row.stratifiedGap * 100, 2)}
                  {row.stratifiedGapCi && <span className="table__sub">{`${formatPercent(row.stratifiedGapCi.low * 100, 2)} – ${formatPercent(row.stratifiedGapCi.high * 100, 2)}`}</span>}
                </td>
                <td className="num">{formatNumber(row.ratio, 4)}</td>
                <td className="num">{formatNumber(row.maxKs, 3)}</td>
                <td className="num">{formatNumber(row.moved)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(['offered', 'paid'] as const).map((source) =>
        data[source].attributes
          .filter((attribute) => attribute.raw.segments.length > 0)
          .map((attribute) => (
            <section key={`${source}-${attribute.attribute}`} className="stack" aria-label={`${SOURCES[source]} by ${attribute.attribute}`}>
              <h3>
                {SOURCES[source]} by {attribute.attribute} <AuditStatusBadge status={attribute.status} />
              </h3>
              <div className="table-wrap">
                <SegmentIntervals label={`${SOURCES[source]} by ${attribute.attribute}, within strata`} segments={attribute.stratified.segments.length > 0 ? attribute.stratified.segments : attribute.raw.segments} />
              </div>
            </section>
          )),
      )}
      <section className="stack" aria-label="Counterfactual check">
        <h3>Counterfactual check {counterfactual && <AuditStatusBadge status={counterfactual.status} />}</h3>
        {!counterfactual ? (
          <EmptyState title="No counterfactual check in this audit." />
        ) : (
          <>
            <p className="muted">
              {formatNumber(counterfactual.decisions)} real decisions re-priced {formatNumber(counterfactual.repricings)} times with {counterfactual.attributes.join(', ')} changed:{' '}
              {counterfactual.movedCount === 0 ? 'no price moved.' : `${formatNumber(counterfactual.movedCount)} prices moved.`}
            </p>
            {counterfactual.moved.length > 0 && (
              <ul className="plain-list">
                {counterfactual.moved.map((moved) => (
                  <li key={`${moved.decisionId}-${moved.attribute}-${moved.to}`}>
                    <code>{moved.decisionId}</code>: {moved.attribute} {moved.from ?? '—'} → {moved.to} moved {formatMoney(moved.basePrice)} to {formatMoney(moved.counterfactualPrice)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </section>
  );
}
