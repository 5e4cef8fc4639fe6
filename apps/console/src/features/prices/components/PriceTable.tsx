import type { SortKey, SortState } from '../utils/filter-sort';
import type { PriceRow } from '../utils/price-rows';
import { PriceTableRow, type RowAction } from './PriceTableRow';
import { SortHeader } from './SortHeader';

export interface PriceTableProps {
  rows: readonly PriceRow[];
  storeId: string;
  currency: string;
  sort: SortState;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  onSelectionChange: (codes: Set<string>) => void;
  canEditGuardrails: boolean;
  canOverride: boolean;
  onAction: (action: RowAction, row: PriceRow) => void;
}

export function PriceTable({ rows, storeId, currency, sort, onSort, selected, onSelectionChange, canEditGuardrails, canOverride, onAction }: PriceTableProps) {
  const selectable = canEditGuardrails || canOverride;
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.code));
  const toggleAll = () => onSelectionChange(allSelected ? new Set() : new Set(rows.map((row) => row.code)));
  const toggle = (code: string) => {
    const next = new Set(selected);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    onSelectionChange(next);
  };
  const header = { sort, onSort };
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Prices by SKU">
        <thead>
          <tr>
            {selectable && (
              <th scope="col">
                <input type="checkbox" checked={allSelected} onChange={toggleAll} aria-label="Select all shown SKUs" />
              </th>
            )}
            <SortHeader sortKey="code" {...header}>
              SKU
            </SortHeader>
            <SortHeader sortKey="stockUnits" numeric title="Units on hand, and the days left on the oldest lot" {...header}>
              Stock
            </SortHeader>
            <SortHeader sortKey="listPrice" numeric {...header}>
              List
            </SortHeader>
            <SortHeader sortKey="legacyPrice" numeric title="The retailer's markdown rule for this stock, as the API priced it: list price less the markdown for the days left" {...header}>
              Legacy
            </SortHeader>
            <SortHeader sortKey="currentPrice" numeric title="The price in force before this recommendation" {...header}>
              Current
            </SortHeader>
            <SortHeader sortKey="recommendedPrice" numeric title="What Dynaprice prices now, guardrails and overrides applied" {...header}>
              Recommended
            </SortHeader>
            <SortHeader sortKey="marginPct" numeric title="(recommended − unit cost) / recommended" {...header}>
              Margin
            </SortHeader>
            <SortHeader sortKey="reason" {...header}>
              Reason
            </SortHeader>
            {selectable && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <PriceTableRow
              key={row.code}
              row={row}
              storeId={storeId}
              currency={currency}
              selected={selected.has(row.code)}
              selectable={selectable}
              canEditGuardrails={canEditGuardrails}
              canOverride={canOverride}
              onToggle={toggle}
              onAction={onAction}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
