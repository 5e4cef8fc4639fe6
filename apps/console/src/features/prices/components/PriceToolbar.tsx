import { FormField } from '../../../shared/components/FormField';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';
import { EXPIRING_WITHIN_DAYS, type PriceFilters, type StatusFilter } from '../utils/filter-sort';

export interface PriceToolbarProps {
  filters: PriceFilters;
  categories: readonly string[];
  shown: number;
  total: number;
  onChange: (patch: Partial<PriceFilters>) => void;
}

const STATUS_LABELS: Record<StatusFilter, string> = {
  all: 'All SKUs',
  frozen: 'Frozen',
  override: 'With an override',
  expiring: `Expiring within ${EXPIRING_WITHIN_DAYS} days`,
  bound: 'Bound by a guardrail',
};

export function PriceToolbar({ filters, categories, shown, total, onChange }: PriceToolbarProps) {
  return (
    <div className="toolbar" role="search" aria-label="Filter SKUs">
      <FormField label="Search">
        <input className="input" type="search" placeholder="Code or name" value={filters.search} onChange={(event) => onChange({ search: event.target.value })} />
      </FormField>
      <FormField label="Category">
        <select className="input" value={filters.category ?? ''} onChange={(event) => onChange({ category: event.target.value || null })}>
          <option value="">All categories</option>
          {categories.map((category) => (
            <option key={category} value={category}>
              {category}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Reason">
        <select className="input" value={filters.reason ?? ''} onChange={(event) => onChange({ reason: (event.target.value || null) as DecisionReason | null })}>
          <option value="">Any reason</option>
          <option value="model">Model</option>
          <option value="guardrail">Guardrail</option>
          <option value="override">Override</option>
          <option value="legacy">Legacy</option>
          <option value="fallback">Fallback</option>
        </select>
      </FormField>
      <FormField label="Show">
        <select className="input" value={filters.status} onChange={(event) => onChange({ status: event.target.value as StatusFilter })}>
          {(Object.keys(STATUS_LABELS) as StatusFilter[]).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </FormField>
      <p className="muted" aria-live="polite">
        {shown === total ? `${total} SKUs` : `${shown} of ${total} SKUs`}
      </p>
    </div>
  );
}
