// GET /api/files?folderId=&q=&sort=&order=&limit=&cursor= → {items, nextCursor}: one folder's
// files, or with `q` the matches across every folder, in the chosen order.
import type { FileSort, ListFilesResponse, SortOrder } from '@filestore/contract';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

/** Every file list, whatever its folder, search or sort; mutations invalidate this prefix. */
export const filesQueryKey = ['files'] as const;

const PAGE_SIZE = 50;

export interface FileListParams {
  /** null: the root. Ignored while searching. */
  folderId: string | null;
  q: string;
  sort: FileSort;
  order: SortOrder;
}

export function getFiles(
  { folderId, q, sort, order }: FileListParams,
  cursor: string | null,
  signal?: AbortSignal,
) {
  const search = new URLSearchParams({ limit: String(PAGE_SIZE), sort, order });
  if (q) search.set('q', q);
  else if (folderId) search.set('folderId', folderId);
  if (cursor) search.set('cursor', cursor);
  return apiFetch<ListFilesResponse>(`/api/files?${search}`, { signal });
}

export const filesQueryOptions = (params: FileListParams) =>
  infiniteQueryOptions({
    // A search spans every folder, so its results are the same whichever folder is open.
    queryKey: [...filesQueryKey, params.q ? { ...params, folderId: null } : params],
    queryFn: ({ pageParam, signal }) => getFiles(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // While a new search loads, keep showing the previous results instead of a blank table.
    placeholderData: keepPreviousData,
  });

export const useFiles = (params: FileListParams) => useInfiniteQuery(filesQueryOptions(params));
