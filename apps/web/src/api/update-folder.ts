// PATCH /api/folders/:id {name?, parentId?} → {folder}: rename and/or move (`parentId: null` is
// the root); into itself or one of its own subfolders → 400 invalid_move; a rename to a name taken
// beside it → 409 name_taken.
import type { Folder, FolderResponse, UpdateFolderBody } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { foldersQueryKey } from './get-folders.ts';

export const updateFolder = async ({
  id,
  ...body
}: UpdateFolderBody & { id: string }): Promise<Folder> =>
  (
    await apiFetch<FolderResponse>(`/api/folders/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body,
    })
  ).folder;

export function useUpdateFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateFolder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: foldersQueryKey }),
  });
}
