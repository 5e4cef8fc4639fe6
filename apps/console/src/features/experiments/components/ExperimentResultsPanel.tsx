import { ApiError } from '../../../api/api-error';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatMoney, formatNumber, formatPercent, formatSignedPercent } from '../../../shared/utils/format';
import { useExperimentResults } from '../hooks/useExperimentResults';
import { summariseResults, type Interval } from '../utils/results';

export interface ExperimentResultsPanelProps {
  experimentId: string;
  currency: string;
}

function lift(value: Interval | null): string {
  if (!value) return '—';
  return `${formatSignedPercent(value.estimate * 100)} (95 % CI ${formatSignedPercent(value.lower * 100)} to ${formatSignedPercent(value.upper * 100)})`;
}

/** Per variant totals, lift with its interval, the always-valid test, and the SRM check. */
export function ExperimentResultsPanel({ experimentId, currency }: ExperimentResultsPanelProps) {
  const results = useExperimentResults(experimentId);
  if (results.isPending) return <LoadingState label="Analysing the experiment…" />;
  if (results.error) {
    if (results.error instanceof ApiError && results.error.status === 422) return <EmptyState title="No results yet">{results.error.message}</EmptyState>;
    return <ErrorState title="The results could not be computed." error={results.error} onRetry={() => void results.refetch()} />;
  }
  const summary = summariseResults(results.data);
  const money = (value: number | null) => formatMoney(value, currency);
  return (
    <div className="stack">
      {summary.srm?.flagged && (
        <p className="notice notice--error" role="alert">
          Sample ratio mismatch: the split of units does not match the weights (p = {formatNumber(summary.srm.pValue, 5)}). Assignment or logging is broken — do not
          trust the lift until it is fixed.
        </p>
      )}
      {summary.warnings.map((warning) => (
        <p key={warning} className="notice notice--info">
          {warning}
        </p>
      ))}
      <div className="table-wrap">
        <table className="table" aria-label="Variants">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" className="num">Weight</th>
              <th scope="col" className="num">Units (share)</th>
              <th scope="col" className="num">Exposures</th>
              <th scope="col" className="num">Gross margin after waste</th>
              <th scope="col" className="num">Margin per exposure</th>
            </tr>
          </thead>
          <tbody>
            {summary.variants.map((variant) => (
              <tr key={variant.variant}>
                <th scope="row">{variant.variant}</th>
                <td className="num">{variant.weight === null ? '—' : formatPercent(variant.weight * 100, 0)}</td>
                <td className="num">
                  {formatNumber(variant.unitCount)} ({variant.observedShare === null ? '—' : formatPercent(variant.observedShare * 100)})
                </td>
                <td className="num">{formatNumber(variant.exposures)}</td>
                <td className="num">{money(variant.grossMargin)}</td>
                <td className="num">{money(variant.marginPerExposure)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.comparisons.map((comparison) => (
        <dl key={comparison.variant} className="definition-list" aria-label={`${comparison.variant} against control`}>
          <dt>Lift of margin per exposure ({comparison.variant})</dt>
          <dd>{lift(comparison.lift)}</dd>
          <dt>CUPED-adjusted</dt>
          <dd>
            {lift(comparison.cupedLift)}
            {comparison.varianceReduction !== null && ` · variance −${formatPercent(comparison.varianceReduction * 100, 0)}`}
          </dd>
          <dt>Sequential test</dt>
          <dd>
            {comparison.sequential
              ? `${comparison.sequential.significant ? 'significant' : 'not significant yet'} (always-valid p = ${formatNumber(comparison.sequential.pValue, 4)}, ${formatNumber(comparison.sequential.looks)} looks)`
              : '—'}
          </dd>
          <dt>Guardrails</dt>
          <dd>
            {comparison.breachedGuardrails.length > 0 ? (
              <span className="badge badge--fallback">breached: {comparison.breachedGuardrails.join(', ')}</span>
            ) : (
              <span className="badge badge--success">holding</span>
            )}
          </dd>
        </dl>
      ))}
    </div>
  );
}
