// POST /api/folders {name, parentId?} → 201 {folder}; a name taken among its siblings gets " (1)".
import type { CreateFolderBody, Folder, FolderResponse } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { foldersQueryKey } from './get-folders.ts';

export const createFolder = async (body: CreateFolderBody): Promise<Folder> =>
  (await apiFetch<FolderResponse>('/api/folders', { method: 'POST', body })).folder;

export function useCreateFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createFolder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: foldersQueryKey }),
  });
}
