import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatMoney, formatNumber } from '../../../shared/utils/format';
import { UnavailableState } from '../../capabilities/components/UnavailableState';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { operation } from '../../capabilities/utils/capabilities';
import { useDecisionExplanation } from '../hooks/useDecisionExplanation';
import { ExplanationWaterfall } from './ExplanationWaterfall';

export const EXPLANATION_OPERATION = operation('get', '/v1/decisions/{id}/explanation');

export interface ExplanationPanelProps {
  decisionId: string;
}

/** Why this price: what bound it, the legacy price it replaced, the TreeSHAP waterfall, the runner-ups. */
export function ExplanationPanel({ decisionId }: ExplanationPanelProps) {
  const offered = useCapabilities().has(EXPLANATION_OPERATION.method, EXPLANATION_OPERATION.path);
  const explanation = useDecisionExplanation(offered ? decisionId : null);
  if (!offered) {
    return <UnavailableState feature="Explanation" missing={[EXPLANATION_OPERATION]} detail="TreeSHAP attributions of the demand prediction appear here, as a waterfall, once the API offers them." />;
  }
  if (explanation.isPending) return <LoadingState label="Explaining the decision…" />;
  if (explanation.error) return <ErrorState title="The decision could not be explained." error={explanation.error} onRetry={() => void explanation.refetch()} />;
  const { binding, attribution, noAttribution, runnersUp, currency } = explanation.data;
  const money = (value: number | null) => formatMoney(value, currency);
  return (
    <div className="stack" data-testid="explanation">
      <p>
        <strong>{binding.summary}</strong>
      </p>
      <dl className="definition-list">
        <dt>Legacy price (the control)</dt>
        <dd>{money(binding.legacyPrice)}</dd>
        <dt>Last price · day opened at</dt>
        <dd>
          {money(binding.lastPrice)} · {money(binding.openingPrice)}
        </dd>
        {binding.unconstrained && (
          <>
            <dt>Best without guardrails</dt>
            <dd>
              {money(binding.unconstrained.price)} ({money(binding.unconstrained.expectedProfit)} expected profit)
            </dd>
          </>
        )}
      </dl>
      {attribution ? (
        <>
          <ExplanationWaterfall
            baseValue={attribution.baseValue}
            attributions={attribution.features.map((feature) => ({
              feature: `${feature.feature} = ${feature.label ?? formatNumber(feature.value, 3)}`,
              contribution: feature.attribution,
            }))}
            unit="model score"
          />
          <p className="chart-caption">
            {attribution.explains}. Base {formatNumber(attribution.baseUnits, 2)} units → {formatNumber(attribution.predictedUnits, 2)} units at this price ({attribution.method}{' '}
            TreeSHAP).
          </p>
        </>
      ) : (
        <EmptyState title="No attribution for this decision">{noAttribution?.message}</EmptyState>
      )}
      {runnersUp.length > 0 && (
        <section className="stack" aria-label="Why not the runner-ups">
          <h3>Why not another price</h3>
          <ul className="plain-list">
            {runnersUp.map((runnerUp) => (
              <li key={runnerUp.price}>
                {money(runnerUp.price)}: {runnerUp.why}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
