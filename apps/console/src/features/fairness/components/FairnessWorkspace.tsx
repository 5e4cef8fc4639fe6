import { useState } from 'react';
import { describeError } from '../../../api/api-error';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime } from '../../../shared/utils/format';
import { useAccess } from '../../auth/hooks/useAccess';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { useFairnessAudits } from '../hooks/useFairnessAudits';
import { useRunFairnessAudit } from '../hooks/useRunFairnessAudit';
import { AuditStatusBadge } from './AuditStatusBadge';
import { FairnessAuditDetail } from './FairnessAuditDetail';

export function FairnessWorkspace() {
  const access = useAccess();
  const capabilities = useCapabilities();
  const canRun = access.can('fairness:run') && capabilities.has('post', '/v1/fairness/audits');
  const audits = useFairnessAudits();
  const run = useRunFairnessAudit();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rows = audits.data?.pages.flatMap((page) => page.items) ?? [];
  const shownId = selectedId ?? rows[0]?.id ?? null;

  return (
    <div className="page">
      <PageHeader
        title="Fairness"
        description="Whether prices differ between customer segments: mean price index per segment with intervals, gaps within comparable stock, and a counterfactual re-pricing. A price never depends on who asks."
        actions={
          canRun && (
            <button type="button" className="button button--primary" disabled={run.isPending} onClick={() => run.mutate(undefined, { onSuccess: (audit) => setSelectedId(audit.id) })}>
              {run.isPending ? 'Auditing…' : 'Run an audit now'}
            </button>
          )
        }
      />
      {run.error && (
        <p className="notice notice--error" role="alert">
          The audit could not run: {describeError(run.error)}
        </p>
      )}
      {audits.isPending ? (
        <LoadingState label="Loading audits…" />
      ) : audits.error ? (
        <ErrorState title="The audits could not be loaded." error={audits.error} onRetry={() => void audits.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No audit yet">Audits run on a schedule{canRun ? ', or now with the button above' : ''}.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Audits">
            <thead>
              <tr>
                <th scope="col">Finished</th>
                <th scope="col">Result</th>
                <th scope="col">Window</th>
                <th scope="col">Trigger</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((audit) => (
                <tr key={audit.id} aria-selected={audit.id === shownId}>
                  <th scope="row">
                    <button type="button" className="button button--link" onClick={() => setSelectedId(audit.id)}>
                      {formatDateTime(audit.finishedAt)}
                    </button>
                  </th>
                  <td>
                    <AuditStatusBadge status={audit.status} />
                  </td>
                  <td>
                    {formatDateTime(audit.from)} – {formatDateTime(audit.to)}
                  </td>
                  <td>{audit.trigger === 'manual' ? audit.requestedBy : 'schedule'}</td>
                  <td className="wrap">{audit.reasons[0]?.message ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audits.hasNextPage && (
        <button type="button" className="button" onClick={() => void audits.fetchNextPage()} disabled={audits.isFetchingNextPage}>
          Load older audits
        </button>
      )}
      {shownId && <FairnessAuditDetail auditId={shownId} />}
    </div>
  );
}
