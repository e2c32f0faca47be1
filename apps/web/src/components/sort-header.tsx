// A column header that sorts the table by its column; aria-sort tells which way it is sorted now.
import type { FileSort } from '@filestore/contract';
import { nextSort, type Sort } from '../drive/sort.ts';

interface SortHeaderProps {
  column: FileSort;
  label: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
  className?: string;
}

export function SortHeader({ column, label, sort, onSort, className }: SortHeaderProps) {
  const active = sort.sort === column;
  const direction = sort.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" className={className} aria-sort={active ? direction : undefined}>
      <button
        type="button"
        className={active ? 'sort-button is-active' : 'sort-button'}
        onClick={() => onSort(nextSort(sort, column))}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.order === 'asc' ? '↑' : '↓') : ''}
        </span>
      </button>
    </th>
  );
}
