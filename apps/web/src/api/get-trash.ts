// GET /api/trash?limit=&cursor= → {items, nextCursor}: what the user deleted, newest first; only
// top-level items (a trashed folder's contents come back with it and are not listed apart).
import type { ListTrashResponse, TrashItem as ContractTrashItem } from '@filestore/contract';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

/**
 * `purgeAt`: when the housekeeping job purges the item (deletedAt + TRASH_TTL). The contract does
 * not carry it yet (only the server knows TRASH_TTL); the Trash page shows it once it does.
 */
export type TrashItem = ContractTrashItem & { purgeAt?: string };

/** The trash list; anything that trashes, restores or purges invalidates it. */
export const trashQueryKey = ['trash'] as const;

const PAGE_SIZE = 50;

export function getTrash(cursor: string | null, signal?: AbortSignal) {
  const search = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) search.set('cursor', cursor);
  return apiFetch<ListTrashResponse & { items: TrashItem[] }>(`/api/trash?${search}`, { signal });
}

export const trashQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: trashQueryKey,
    queryFn: ({ pageParam, signal }) => getTrash(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const useTrash = () => useInfiniteQuery(trashQueryOptions());
