// The drive's sort order, kept in the URL (`?sort=name&order=asc`) so a reload or a shared link
// keeps it. Clicking a column sorts by it in its natural direction; clicking it again flips it.
import type { FileSort as SortKey, SortOrder } from '@filestore/contract';

export interface Sort {
  sort: SortKey;
  order: SortOrder;
}

/** Newest first, largest first, A to Z. */
const NATURAL_ORDER: Record<SortKey, SortOrder> = { date: 'desc', size: 'desc', name: 'asc' };
const KEYS = Object.keys(NATURAL_ORDER) as SortKey[];

export const DEFAULT_SORT: Sort = { sort: 'date', order: 'desc' };

export function readSort(params: URLSearchParams): Sort {
  const key = params.get('sort');
  const sort = KEYS.find((k) => k === key) ?? DEFAULT_SORT.sort;
  const order = params.get('order');
  return { sort, order: order === 'asc' || order === 'desc' ? order : NATURAL_ORDER[sort] };
}

/** `params` with `sort` written in; the default order is left out of the URL. */
export function writeSort(params: URLSearchParams, { sort, order }: Sort): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete('sort');
  next.delete('order');
  if (sort !== DEFAULT_SORT.sort || order !== DEFAULT_SORT.order) {
    next.set('sort', sort);
    next.set('order', order);
  }
  return next;
}

export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.sort !== key) return { sort: key, order: NATURAL_ORDER[key] };
  return { sort: key, order: current.order === 'asc' ? 'desc' : 'asc' };
}

/**
 * Folders in the order the files are in. Folders have no size, so "by size" lists them by name;
 * the API sends them by name already.
 */
export function sortFolders<T extends { name: string; updatedAt: string }>(
  folders: readonly T[],
  { sort, order }: Sort,
): T[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  const compare =
    sort === 'date'
      ? (a: T, b: T) => a.updatedAt.localeCompare(b.updatedAt) || byName(a, b)
      : byName;
  const sorted = [...folders].sort(compare);
  return order === 'desc' && sort !== 'size' ? sorted.reverse() : sorted;
}
