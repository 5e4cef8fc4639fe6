import type { Schemas } from '@dynaprice/api-client';
import { formatDateTime, formatNumber, formatPercent } from '../../../shared/utils/format';
import { numberOf, stringOf } from '../../../shared/utils/untyped';

export interface ModelVersionsTableProps {
  versions: ReadonlyArray<Schemas['ModelVersionDto']>;
  selectedId: string | null;
  canPromote: boolean;
  onSelect: (id: string) => void;
  onPromote: (version: Schemas['ModelVersionDto']) => void;
}

export function ModelVersionsTable({ versions, selectedId, canPromote, onSelect, onPromote }: ModelVersionsTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Model versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Source</th>
            <th scope="col">Training data</th>
            <th scope="col" className="num">
              Validation MAE
            </th>
            <th scope="col" className="num">
              WAPE
            </th>
            <th scope="col" className="num">
              Features
            </th>
            <th scope="col">Aliases</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => {
            const from = stringOf(version.trainingData, 'from');
            const to = stringOf(version.trainingData, 'to');
            const rows = numberOf(version.trainingData, 'rows');
            const wape = numberOf(version.validation, 'wape');
            return (
              <tr key={version.id} data-model={version.id} aria-selected={version.id === selectedId}>
                <th scope="row">
                  <code>{version.id}</code>
                  <span className="table__sub">
                    {version.name} · {formatDateTime(version.createdAt)} by {version.createdBy}
                  </span>
                </th>
                <td>{version.source === 'trainer' ? 'Built-in trainer' : 'Uploaded'}</td>
                <td>
                  {from && to ? `${from} – ${to}` : '—'}
                  {rows !== null && <span className="table__sub">{formatNumber(rows)} rows</span>}
                </td>
                <td className="num">{formatNumber(numberOf(version.validation, 'mae'), 3)}</td>
                <td className="num">{wape === null ? '—' : formatPercent(wape * 100)}</td>
                <td className="num">{version.features.length}</td>
                <td>
                  <div className="row">
                    {version.aliases.map((alias) => (
                      <span key={alias} className={`badge ${alias === 'champion' ? 'badge--success' : 'badge--model'}`}>
                        {alias}
                      </span>
                    ))}
                  </div>
                </td>
                <td>
                  <div className="table__actions">
                    <button type="button" className="button button--small" onClick={() => onSelect(version.id)} aria-label={`Drift of ${version.id}`}>
                      Drift
                    </button>
                    {canPromote && (
                      <button type="button" className="button button--small" onClick={() => onPromote(version)} aria-label={`Promote ${version.id}`}>
                        Promote…
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
