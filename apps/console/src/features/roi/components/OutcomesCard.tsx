import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { formatMoney, formatNumber, formatSignedPercent } from '../../../shared/utils/format';
import { useDeleteRoiOutcome } from '../hooks/useDeleteRoiOutcome';
import { useRoiOutcomes } from '../hooks/useRoiOutcomes';
import { OutcomeForm } from './OutcomeForm';

export interface OutcomesCardProps {
  currency: string;
  canWrite: boolean;
}

/** Outcomes finance enters itself (a pilot measured elsewhere); experiments add theirs on their own. */
export function OutcomesCard({ currency, canWrite }: OutcomesCardProps) {
  const outcomes = useRoiOutcomes();
  const remove = useDeleteRoiOutcome();
  return (
    <section className="card stack" aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">Entered outcomes</h2>
      {outcomes.isPending ? (
        <LoadingState label="Loading outcomes…" />
      ) : outcomes.error ? (
        <ErrorState title="The outcomes could not be loaded." error={outcomes.error} onRetry={() => void outcomes.refetch()} />
      ) : outcomes.data.length === 0 ? (
        <EmptyState title="No outcome entered">Measured outcomes come from the experiments; enter one here for a pilot measured elsewhere.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Outcomes">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">Baseline</th>
                <th scope="col" className="num">Lift</th>
                <th scope="col" className="num">Scale</th>
                {canWrite && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {outcomes.data.map((outcome) => (
                <tr key={outcome.id}>
                  <td>{outcome.period}</td>
                  <td className="wrap">{outcome.description || '—'}</td>
                  <td className="num">{formatMoney(outcome.baseline, currency)}</td>
                  <td className="num">{formatSignedPercent(outcome.relativeLift * 100)}</td>
                  <td className="num">{formatNumber(outcome.scaleToBusiness ?? 1, 2)}</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="button button--small button--danger" onClick={() => remove.mutate(outcome.id)} disabled={remove.isPending} aria-label={`Delete outcome ${outcome.period}`}>
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
      {canWrite && <OutcomeForm currency={currency} />}
    </section>
  );
}
