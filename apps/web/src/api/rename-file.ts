// PATCH /api/files/:id {name} → {file}; a name taken in the folder comes back as "name (1)".
import type { FileItem, FileResponse } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { filesQueryKey } from './get-files.ts';

export const renameFile = async ({ id, name }: { id: string; name: string }): Promise<FileItem> =>
  (
    await apiFetch<FileResponse>(`/api/files/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { name },
    })
  ).file;

export function useRenameFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameFile,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: filesQueryKey }),
  });
}
