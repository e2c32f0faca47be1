// GET /api/files/:id/versions → {items: [{id, size, sha1, createdAt}]}: the file's earlier contents,
// newest first (the current content is not among them).
import type { ListVersionsResponse } from '@filestore/contract';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

/** Every file's versions; an upload that replaces a file, or a version restore, invalidates it. */
export const versionsQueryKey = ['versions'] as const;

export const versionsQueryOptions = (fileId: string) =>
  queryOptions({
    queryKey: [...versionsQueryKey, fileId],
    queryFn: async ({ signal }) =>
      (
        await apiFetch<ListVersionsResponse>(`/api/files/${encodeURIComponent(fileId)}/versions`, {
          signal,
        })
      ).items,
  });

export const useVersions = (fileId: string) => useQuery(versionsQueryOptions(fileId));
