import { EmptyState } from '../../../shared/components/EmptyState';
import { formatNumber } from '../../../shared/utils/format';

export interface ModelInputsTableProps {
  values: readonly number[] | null;
  /** Feature names in the model card's order, when the card could be read. */
  names: readonly string[] | null;
  /** The model that priced the decision; null for legacy, override and freeze prices. */
  modelVersion: string | null;
}

/** The demand model's input row at the chosen price, named by the model card's feature schema. */
export function ModelInputsTable({ values, names, modelVersion }: ModelInputsTableProps) {
  if (!values) return <EmptyState title="No model input was recorded for this decision." />;
  const named = names && names.length === values.length ? names : null;
  return (
    <>
      <table className="table" aria-label="Model inputs">
        <tbody>
          {values.map((value, index) => (
            <tr key={named?.[index] ?? index}>
              <th scope="row">
                <code>{named?.[index] ?? `feature ${index + 1}`}</code>
              </th>
              <td className="num">{formatNumber(value, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!named && (
        <p className="chart-caption">
          {modelVersion ? `The card of ${modelVersion} could not be read, so the inputs are numbered in its feature order.` : 'No model priced this decision: the inputs are the demand features it was recorded with, numbered.'}
        </p>
      )}
    </>
  );
}
