// PATCH /api/files/:id {name?, folderId?} → {file}: rename and/or move (`folderId: null` is the
// root). A move keeps the file's modified time. A rename to a name taken in the folder is refused
// (409 name_taken); a move into a folder where the name is taken comes back as "name (1)".
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
