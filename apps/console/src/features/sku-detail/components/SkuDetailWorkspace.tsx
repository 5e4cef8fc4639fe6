import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../api/api-error';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDays, formatMoney } from '../../../shared/utils/format';
import { useAccess } from '../../auth/hooks/useAccess';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { useModel } from '../../models/hooks/useModel';
import { useSku } from '../../catalog/hooks/useSku';
import { useStores } from '../../catalog/hooks/useStores';
import { useDecision } from '../../pricing/hooks/useDecision';
import { useDecisions } from '../../pricing/hooks/useDecisions';
import { StorePicker } from '../../prices/components/StorePicker';
import { demandCurve } from '../utils/demand-curve';
import { priceHistory } from '../utils/price-history';
import { DecisionSummary } from './DecisionSummary';
import { DemandCurveChart } from './DemandCurveChart';
import { ExplanationPanel } from './ExplanationPanel';
import { ModelInputsTable } from './ModelInputsTable';
import { PriceHistoryChart } from './PriceHistoryChart';

const HISTORY_DAYS = 30;

export function SkuDetailWorkspace() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [from] = useState(() => new Date(Date.now() - HISTORY_DAYS * 24 * 60 * 60 * 1000).toISOString());
  const stores = useStores();
  const salesReadable = useCapabilities().has('get', '/v1/sales');
  const storeId = params.get('store') ?? stores.data?.[0]?.id ?? null;
  const sku = useSku(code);
  const history = useDecisions({ storeId: storeId ?? undefined, skuCode: code, from, limit: 1000 }, { enabled: storeId !== null });
  const requested = params.get('decision');
  const decisionId = requested ?? history.data?.items[0]?.id ?? null;
  const decision = useDecision(decisionId);
  const capabilities = useCapabilities();
  const access = useAccess();
  const modelId = decision.data?.modelVersion ?? null;
  const model = useModel(modelId, { enabled: capabilities.has('get', '/v1/models/{id}') && access.can('models:read') });
  const points = useMemo(() => priceHistory(history.data?.items ?? []), [history.data]);
  const curve = useMemo(() => (decision.data ? demandCurve(decision.data) : []), [decision.data]);

  if (sku.isPending || stores.isPending) return <LoadingState label={`Loading ${code}…`} />;
  if (sku.error) {
    if (sku.error instanceof ApiError && sku.error.status === 404) return <EmptyState title={`There is no SKU ${code}.`}><Link to="/prices">Back to prices</Link></EmptyState>;
    return <ErrorState title={`${code} could not be loaded.`} error={sku.error} onRetry={() => void sku.refetch()} />;
  }
  if (stores.error) return <ErrorState title="The stores could not be loaded." error={stores.error} onRetry={() => void stores.refetch()} />;
  const currency = decision.data?.currency ?? history.data?.items[0]?.currency ?? 'USD';
  const money = (value: number | null) => formatMoney(value, currency);
  const item = sku.data;

  return (
    <div className="page">
      <p>
        <Link to={`/prices${storeId ? `?store=${encodeURIComponent(storeId)}` : ''}`}>← Prices</Link>
      </p>
      <PageHeader
        title={`${item.name} (${item.code})`}
        description={`${item.category} · list ${money(item.listPrice)} · unit cost ${money(item.unitCost)} · shelf life ${formatDays(item.shelfLifeDays)} · floor ${money(item.priceFloor)} · ceiling ${money(item.priceCeiling)}`}
        actions={
          storeId && stores.data.length > 0 ? (
            <StorePicker
              stores={stores.data}
              value={storeId}
              onChange={(next) =>
                setParams((current) => {
                  const updated = new URLSearchParams(current);
                  updated.set('store', next);
                  updated.delete('decision');
                  return updated;
                })
              }
            />
          ) : undefined
        }
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="curve-title">
          <h2 id="curve-title" className="card__title">
            Demand and expected profit
          </h2>
          {decision.isPending && decisionId ? (
            <LoadingState label="Loading the decision…" />
          ) : decision.error ? (
            <ErrorState title="The decision could not be loaded." error={decision.error} onRetry={() => void decision.refetch()} />
          ) : !decision.data ? (
            <EmptyState title="This SKU has no decision in this store yet." />
          ) : (
            <DemandCurveChart
              points={curve}
              currency={currency}
              source={`The chosen price and its ${decision.data.runnersUp.length} runner-up candidates, as the decision recorded them.`}
            />
          )}
        </section>
        <section className="card" aria-labelledby="decision-title">
          <h2 id="decision-title" className="card__title">
            {requested ? 'Decision' : 'Latest decision'}
          </h2>
          {decision.data ? <DecisionSummary decision={decision.data} /> : decision.isPending && decisionId ? <LoadingState label="Loading the decision…" /> : <EmptyState title="No decision yet." />}
        </section>
      </div>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title" className="card__title">
          Price history
        </h2>
        {history.isPending ? (
          <LoadingState label="Loading the price history…" />
        ) : history.error ? (
          <ErrorState title="The price history could not be loaded." error={history.error} onRetry={() => void history.refetch()} />
        ) : (
          <PriceHistoryChart points={points} currency={currency} />
        )}
        <p className="chart-caption">
          {salesReadable
            ? 'This server offers reported sales (GET /v1/sales); this console version does not plot them yet.'
            : 'Sales history: not available on this server (its OpenAPI document lists no GET /v1/sales).'}
        </p>
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="explanation-title">
          <h2 id="explanation-title" className="card__title">
            Explanation
          </h2>
          {decisionId ? <ExplanationPanel decisionId={decisionId} /> : <EmptyState title="No decision to explain yet." />}
        </section>
        <section className="card" aria-labelledby="inputs-title">
          <h2 id="inputs-title" className="card__title">
            Model inputs at the chosen price
          </h2>
          {decision.data ? <ModelInputsTable values={decision.data.features} names={model.data?.features.map((feature) => feature.name) ?? null} modelVersion={decision.data.modelVersion} /> : <EmptyState title="No decision yet." />}
        </section>
      </div>
    </div>
  );
}
