import type { ReactNode } from 'react';
import type { SortKey, SortState } from '../utils/filter-sort';

export interface SortHeaderProps {
  sortKey: SortKey;
  sort: SortState;
  onSort: (key: SortKey) => void;
  numeric?: boolean;
  title?: string;
  children: ReactNode;
}

/** A column header that sorts; `aria-sort` tells assistive technology the current order. */
export function SortHeader({ sortKey, sort, onSort, numeric, title, children }: SortHeaderProps) {
  const active = sort.key === sortKey;
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} title={title}>
      <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
        {children}
        <span aria-hidden="true">{active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}
