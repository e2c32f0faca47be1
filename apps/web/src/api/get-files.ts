// GET /api/files?q=&limit=&cursor= → {items (newest first), nextCursor}.
import type { ListFilesResponse } from '@filestore/contract';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

/** Every file list, whatever its search; mutations invalidate this prefix. */
export const filesQueryKey = ['files'] as const;

const PAGE_SIZE = 50;

export function getFiles(params: { q: string; cursor: string | null; signal?: AbortSignal }) {
  const search = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (params.q) search.set('q', params.q);
  if (params.cursor) search.set('cursor', params.cursor);
  return apiFetch<ListFilesResponse>(`/api/files?${search}`, { signal: params.signal });
}

export const filesQueryOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: [...filesQueryKey, { q }],
    queryFn: ({ pageParam, signal }) => getFiles({ q, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // While a new search loads, keep showing the previous results instead of a blank table.
    placeholderData: keepPreviousData,
  });

export const useFiles = (q: string) => useInfiniteQuery(filesQueryOptions(q));
