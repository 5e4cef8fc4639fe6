import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatMoney, formatNumber } from '../../../shared/utils/format';
import { useCostEntries } from '../hooks/useCostEntries';
import { useDeleteCostEntry } from '../hooks/useDeleteCostEntry';
import { CostEntryForm } from './CostEntryForm';

export interface CostEntriesCardProps {
  currency: string;
  canWrite: boolean;
}

const CATEGORY: Record<string, string> = { cloud: 'Cloud', development: 'Development', operations: 'Operations' };

export function CostEntriesCard({ currency, canWrite }: CostEntriesCardProps) {
  const costs = useCostEntries();
  const remove = useDeleteCostEntry();
  return (
    <section className="card stack" aria-labelledby="costs-title">
      <h2 id="costs-title">Costs</h2>
      {costs.isPending ? (
        <LoadingState label="Loading costs…" />
      ) : costs.error ? (
        <ErrorState title="The costs could not be loaded." error={costs.error} onRetry={() => void costs.refetch()} />
      ) : costs.data.length === 0 ? (
        <EmptyState title="No cost entered yet">Cloud, development and operations costs make the ROI.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Costs">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col">When</th>
                {canWrite && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {costs.data.map((cost) => (
                <tr key={cost.id}>
                  <td>{CATEGORY[cost.category] ?? cost.category}</td>
                  <td className="wrap">{cost.description || '—'}</td>
                  <td className="num">
                    {cost.amount !== null ? formatMoney(cost.amount, currency) : `${formatNumber(cost.hours)} h × ${formatMoney(cost.hourlyRate, currency)}`}
                    {cost.recurrence === 'monthly' ? ' / month' : ''}
                  </td>
                  <td>{cost.recurrence === 'monthly' ? `${cost.effectiveFrom} – ${cost.effectiveTo ?? 'open-ended'}` : cost.effectiveFrom}</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="button button--small button--danger" onClick={() => remove.mutate(cost.id)} disabled={remove.isPending} aria-label={`Delete cost ${cost.description || cost.category} ${cost.effectiveFrom}`}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && <CostEntryForm currency={currency} />}
    </section>
  );
}
