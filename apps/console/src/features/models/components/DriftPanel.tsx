import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatNumber, formatPercent } from '../../../shared/utils/format';
import { useModelDrift } from '../hooks/useModelDrift';

export interface DriftPanelProps {
  modelId: string;
}

const STATUS_BADGE: Record<string, string> = { ok: 'badge--success', warn: 'badge--guardrail', drifted: 'badge--fallback' };

/** PSI and KS per feature of what the version priced, against its card's reference distributions. */
export function DriftPanel({ modelId }: DriftPanelProps) {
  const drift = useModelDrift(modelId);
  if (drift.isPending) return <LoadingState label={`Measuring drift of ${modelId}…`} />;
  if (drift.error) return <ErrorState title="Drift could not be measured." error={drift.error} onRetry={() => void drift.refetch()} />;
  const { data } = drift;
  return (
    <section className="card stack" aria-label={`Drift of ${modelId}`}>
      <div className="row">
        <h2>Drift of {modelId}</h2>
        <span className={`badge ${STATUS_BADGE[data.status] ?? ''}`}>{data.status}</span>
      </div>
      <p className="muted">
        {data.detail ?? `${formatNumber(data.window.rows)} priced rows over the last ${formatNumber(data.window.hours)} hours.`} PSI above{' '}
        {formatNumber(data.thresholds.psiWarn, 2)} warns, above {formatNumber(data.thresholds.psiDrift, 2)} counts as drift.
      </p>
      {data.features.length === 0 ? (
        <EmptyState title="The model card has no reference distributions." />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Drift per feature">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  PSI
                </th>
                <th scope="col" className="num">
                  KS
                </th>
                <th scope="col" className="num">
                  Live rows
                </th>
                <th scope="col" className="num">
                  Missing (live)
                </th>
              </tr>
            </thead>
            <tbody>
              {data.features.map((feature) => (
                <tr key={feature.feature}>
                  <th scope="row">
                    <code>{feature.feature}</code>
                  </th>
                  <td>
                    <span className={`badge ${STATUS_BADGE[feature.status] ?? ''}`}>{feature.status}</span>
                  </td>
                  <td className="num">{formatNumber(feature.psi, 3)}</td>
                  <td className="num">{formatNumber(feature.ks, 3)}</td>
                  <td className="num">{formatNumber(feature.liveRows)}</td>
                  <td className="num">{feature.liveMissingShare === null ? '—' : formatPercent(feature.liveMissingShare * 100)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
