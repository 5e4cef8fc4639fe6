import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { UnavailableState } from '../../capabilities/components/UnavailableState';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { operation } from '../../capabilities/utils/capabilities';
import { useCallAudit, type CallAuditFilters } from '../hooks/useCallAudit';
import { CallAuditTable } from './CallAuditTable';

const CALL_AUDIT = operation('get', '/v1/audit');

export interface CallAuditSectionProps {
  filters: CallAuditFilters;
}

/** Every API call (admins): what the decision trail does not show — reads, refusals, who and from where. */
export function CallAuditSection({ filters }: CallAuditSectionProps) {
  const offered = useCapabilities().has(CALL_AUDIT.method, CALL_AUDIT.path);
  const calls = useCallAudit(filters, offered);
  if (!offered) return <UnavailableState feature="Call audit" missing={[CALL_AUDIT]} />;
  if (calls.isPending) return <LoadingState label="Searching calls…" />;
  if (calls.error) return <ErrorState title="The calls could not be searched." error={calls.error} onRetry={() => void calls.refetch()} />;
  const entries = calls.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <EmptyState title="No call matches this search." />;
  return (
    <>
      <CallAuditTable entries={entries} />
      {calls.hasNextPage && (
        <button type="button" className="button" onClick={() => void calls.fetchNextPage()} disabled={calls.isFetchingNextPage}>
          {calls.isFetchingNextPage ? 'Loading…' : 'Load more calls'}
        </button>
      )}
    </>
  );
}
