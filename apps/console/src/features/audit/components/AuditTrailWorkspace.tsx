import { useState } from 'react';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useAccess } from '../../auth/hooks/useAccess';
import { useStores } from '../../catalog/hooks/useStores';
import { useDecisionSearch } from '../../pricing/hooks/useDecisionSearch';
import { defaultAuditForm, parseAuditForm, type AuditFormValues } from '../utils/audit-filters';
import { AuditSearchForm } from './AuditSearchForm';
import { CallAuditSection } from './CallAuditSection';
import { DecisionTable } from './DecisionTable';

export function AuditTrailWorkspace() {
  const [initial] = useState(() => defaultAuditForm(new Date()));
  const [search, setSearch] = useState(() => parseAuditForm(initial, new Date()));
  const stores = useStores();
  const access = useAccess();
  const decisions = useDecisionSearch(search.filters, { enabled: access.can('decisions:read') });
  const onSearch = (values: AuditFormValues) => {
    const parsed = parseAuditForm(values, new Date());
    setSearch((previous) => (Object.keys(parsed.errors).length > 0 ? { ...previous, errors: parsed.errors } : parsed));
  };
  const rows = (decisions.data?.pages.flatMap((page) => page.items) ?? []).filter((decision) => !search.caller || decision.caller.toLowerCase().includes(search.caller.toLowerCase()));

  return (
    <div className="page">
      <PageHeader title="Audit trail" description="Every price decision — who asked, what was priced, why, from which model — and, for administrators, every API call. Newest first." />
      <AuditSearchForm initial={initial} stores={stores.data ?? []} errors={search.errors} onSearch={onSearch} />
      {access.can('decisions:read') && (
        <section className="stack" aria-labelledby="decisions-title">
          <h2 id="decisions-title">Price decisions</h2>
          {decisions.isPending ? (
            <LoadingState label="Searching decisions…" />
          ) : decisions.error ? (
            <ErrorState title="The decisions could not be searched." error={decisions.error} onRetry={() => void decisions.refetch()} />
          ) : rows.length === 0 ? (
            <EmptyState title="No decision matches this search.">Widen the time window or clear a filter.</EmptyState>
          ) : (
            <>
              <DecisionTable decisions={rows} />
              <div className="row">
                <span className="muted">{rows.length} decisions shown</span>
                {decisions.hasNextPage && (
                  <button type="button" className="button" onClick={() => void decisions.fetchNextPage()} disabled={decisions.isFetchingNextPage}>
                    {decisions.isFetchingNextPage ? 'Loading…' : 'Load more'}
                  </button>
                )}
              </div>
            </>
          )}
        </section>
      )}
      {access.can('audit:read') && (
        <section className="stack" aria-labelledby="calls-title">
          <h2 id="calls-title">Every API call</h2>
          <CallAuditSection
            filters={{
              caller: search.caller || undefined,
              store: search.filters.storeId,
              sku: search.filters.skuCode,
              from: search.filters.from,
              to: search.filters.to,
            }}
          />
        </section>
      )}
    </div>
  );
}
