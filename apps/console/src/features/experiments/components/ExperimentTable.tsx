import type { Schemas } from '@dynaprice/api-client';
import { formatDateTime, formatPercent } from '../../../shared/utils/format';
import { ExperimentStatusBadge } from './ExperimentStatusBadge';

export interface ExperimentTableProps {
  experiments: ReadonlyArray<Schemas['ExperimentDto']>;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

const UNITS: Record<string, string> = { store: 'store', store_sku: 'store × SKU', customer: 'customer / session' };

export function ExperimentTable({ experiments, selectedId, onSelect }: ExperimentTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Experiments">
        <thead>
          <tr>
            <th scope="col">Experiment</th>
            <th scope="col">Status</th>
            <th scope="col">Variants</th>
            <th scope="col">Unit</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((experiment) => (
            <tr key={experiment.id} aria-selected={experiment.id === selectedId}>
              <th scope="row">
                <button type="button" className="button button--link" onClick={() => onSelect(experiment.id)}>
                  {experiment.name}
                </button>
                {experiment.hypothesis && <span className="table__sub">{experiment.hypothesis}</span>}
              </th>
              <td>
                <ExperimentStatusBadge status={experiment.status} />
              </td>
              <td>
                {experiment.variants
                  .map((variant) => `${variant.key} ${formatPercent(variant.weight * 100, 0)}${variant.kind === 'model' && variant.model ? ` (${variant.model})` : ''}`)
                  .join(' · ')}
              </td>
              <td>{UNITS[experiment.unit] ?? experiment.unit}</td>
              <td>{formatDateTime(experiment.startedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
