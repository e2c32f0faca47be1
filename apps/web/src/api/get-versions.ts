// GET /api/files/:id/versions → {items: [{id, size, sha1, createdAt}]}: the file's earlier contents,
// newest first (the current content is not among them).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

// TODO(issue13-versions merge): these types come from the contract (packages/contract/src/versions.ts).
export interface FileVersion {
  id: string;
  size: number;
  sha1: string;
  createdAt: string;
}
export interface ListVersionsResponse {
  items: FileVersion[];
}

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
