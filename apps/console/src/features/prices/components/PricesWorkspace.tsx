import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { queryKeys } from '../../../api/query-keys';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime } from '../../../shared/utils/format';
import { useAccess } from '../../auth/hooks/useAccess';
import { useGuardrails } from '../../catalog/hooks/useGuardrails';
import { useStores } from '../../catalog/hooks/useStores';
import { useApplySkuGuardrails, type BulkOutcome } from '../hooks/useApplySkuGuardrails';
import { usePriceRows } from '../hooks/usePriceRows';
import { usePriceTableState } from '../hooks/usePriceTableState';
import { filterAndSort } from '../utils/filter-sort';
import { freezeChange } from '../utils/freeze';
import type { PriceRow } from '../utils/price-rows';
import { BulkActionBar } from './BulkActionBar';
import { GuardrailDialog } from './GuardrailDialog';
import { OutcomeNotice } from './OutcomeNotice';
import { OverrideDialog } from './OverrideDialog';
import { PriceTable } from './PriceTable';
import type { RowAction } from './PriceTableRow';
import { PriceToolbar } from './PriceToolbar';
import { StorePicker } from './StorePicker';

type OpenDialog = { kind: 'guardrails' | 'override'; targets: PriceRow[] } | null;

export function PricesWorkspace() {
  const access = useAccess();
  const canEditGuardrails = access.can('guardrails:write');
  const canOverride = access.can('overrides:write');
  const table = usePriceTableState();
  const stores = useStores();
  const storeId = table.storeId ?? stores.data?.[0]?.id ?? null;
  const store = stores.data?.find((s) => s.id === storeId);
  const prices = usePriceRows(store ? storeId : null);
  const guardrails = useGuardrails();
  const queryClient = useQueryClient();
  const freeze = useApplySkuGuardrails();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [outcome, setOutcome] = useState<{ action: string; outcome: BulkOutcome } | null>(null);

  useEffect(() => setSelected(new Set()), [storeId]);
  const shown = useMemo(() => filterAndSort(prices.rows, table.filters, table.sort), [prices.rows, table.filters, table.sort]);
  const categories = useMemo(() => [...new Set(prices.rows.map((row) => row.category))].sort(), [prices.rows]);
  const selectedRows = prices.rows.filter((row) => selected.has(row.code));

  const done = (action: string, result: BulkOutcome) => {
    setDialog(null);
    setOutcome({ action, outcome: result });
    if (result.failed.length === 0) setSelected(new Set());
  };
  const setFrozen = async (rows: readonly PriceRow[], frozen: boolean) => {
    done(frozen ? 'Freeze' : 'Unfreeze', await freeze.mutateAsync(rows.map((row) => freezeChange(row, frozen))));
  };
  const onAction = (action: RowAction, row: PriceRow) => {
    switch (action) {
      case 'override':
      case 'guardrails':
        setDialog({ kind: action, targets: [row] });
        return;
      case 'freeze':
      case 'unfreeze':
        void setFrozen([row], action === 'freeze');
        return;
    }
  };

  if (stores.isPending) return <LoadingState label="Loading stores…" />;
  if (stores.error) return <ErrorState title="The stores could not be loaded." error={stores.error} onRetry={() => void stores.refetch()} />;
  if (!store || !storeId) {
    return stores.data.length === 0 ? (
      <EmptyState title="No stores yet">Create stores through the API (POST /v1/stores) or the nightly feed; their prices appear here.</EmptyState>
    ) : (
      <EmptyState title={`There is no store ${table.storeId}.`}>Choose one of the {stores.data.length} stores.</EmptyState>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Prices"
        description={
          <>
            Every SKU of <strong>{store.name}</strong>: list, legacy, current and recommended price, why, and the stock behind it.
            {prices.pricedAt && ` Priced ${formatDateTime(prices.pricedAt)}.`}
          </>
        }
        actions={
          <>
            <StorePicker stores={stores.data} value={storeId} onChange={table.setStore} />
            <button type="button" className="button" onClick={() => void queryClient.invalidateQueries({ queryKey: queryKeys.prices.store(storeId) })} disabled={prices.isRepricing}>
              {prices.isRepricing ? 'Pricing…' : 'Reprice now'}
            </button>
          </>
        }
      />
      <PriceToolbar filters={table.filters} categories={categories} shown={shown.length} total={prices.rows.length} onChange={table.setFilters} />
      {outcome && <OutcomeNotice action={outcome.action} outcome={outcome.outcome} onDismiss={() => setOutcome(null)} />}
      {selectedRows.length > 0 && (
        <BulkActionBar
          count={selectedRows.length}
          canEditGuardrails={canEditGuardrails}
          canOverride={canOverride}
          busy={freeze.isPending}
          onFreeze={() => void setFrozen(selectedRows, true)}
          onUnfreeze={() => void setFrozen(selectedRows, false)}
          onGuardrails={() => setDialog({ kind: 'guardrails', targets: selectedRows })}
          onOverride={() => setDialog({ kind: 'override', targets: selectedRows })}
          onClear={() => setSelected(new Set())}
        />
      )}
      {prices.isLoading ? (
        <LoadingState label={`Pricing ${store.name}…`} />
      ) : prices.error ? (
        <ErrorState title="The prices could not be loaded." error={prices.error} onRetry={prices.refetch} />
      ) : prices.rows.length === 0 ? (
        <EmptyState title="No SKUs in the catalog yet">Add SKUs through the API (POST /v1/skus or /v1/skus/bulk); they are priced here.</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="No SKU matches these filters.">
          <button type="button" className="button button--small" onClick={() => table.setFilters({ search: '', category: null, reason: null, status: 'all' })}>
            Clear filters
          </button>
        </EmptyState>
      ) : (
        <PriceTable
          rows={shown}
          storeId={storeId}
          currency={prices.currency}
          sort={table.sort}
          onSort={table.toggleSort}
          selected={selected}
          onSelectionChange={setSelected}
          canEditGuardrails={canEditGuardrails}
          canOverride={canOverride}
          onAction={onAction}
        />
      )}
      {dialog?.kind === 'guardrails' && (
        <GuardrailDialog targets={dialog.targets} guardrails={guardrails.data ?? []} currency={prices.currency} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'override' && (
        <OverrideDialog targets={dialog.targets} storeId={storeId} storeName={store.name} currency={prices.currency} onClose={() => setDialog(null)} onDone={done} />
      )}
    </div>
  );
}
