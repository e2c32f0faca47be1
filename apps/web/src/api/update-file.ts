// PATCH /api/files/:id {name?, folderId?} → {file}: rename and/or move (`folderId: null` is the
// root). A name taken in the target folder comes back as "name (1)".
import type { FileItem, FileResponse, UpdateFileBody } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { filesQueryKey } from './get-files.ts';

export const updateFile = async ({
  id,
  ...body
}: UpdateFileBody & { id: string }): Promise<FileItem> =>
  (
    await apiFetch<FileResponse>(`/api/files/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body,
    })
  ).file;

export function useUpdateFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateFile,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: filesQueryKey }),
  });
}
