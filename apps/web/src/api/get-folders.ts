// GET /api/folders?parentId= → {items}: a folder's subfolders by name (no parentId: the root's).
// GET /api/folders/:id → {folder, path}: the folder and its breadcrumbs below the root.
import type { FolderWithPath, ListFoldersResponse } from '@filestore/contract';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

/** Every folder query; folder mutations invalidate this prefix. */
export const foldersQueryKey = ['folders'] as const;

export const folderChildrenOptions = (parentId: string | null) =>
  queryOptions({
    queryKey: [...foldersQueryKey, 'children', parentId],
    queryFn: async ({ signal }) => {
      const search = parentId ? `?${new URLSearchParams({ parentId })}` : '';
      return (await apiFetch<ListFoldersResponse>(`/api/folders${search}`, { signal })).items;
    },
  });

export const useFolderChildren = (parentId: string | null) =>
  useQuery(folderChildrenOptions(parentId));

export const getFolder = (id: string, signal?: AbortSignal) =>
  apiFetch<FolderWithPath>(`/api/folders/${encodeURIComponent(id)}`, { signal });

export const useFolderPath = (id: string | null) =>
  useQuery({
    queryKey: [...foldersQueryKey, 'one', id],
    queryFn: ({ signal }) => getFolder(id!, signal),
    enabled: id !== null,
  });
