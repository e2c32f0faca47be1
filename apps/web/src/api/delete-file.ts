// DELETE /api/files/:id → 204; frees the caller's used bytes.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { filesQueryKey } from './get-files.ts';
import { meQueryKey } from './get-me.ts';

export const deleteFile = (id: string) =>
  apiFetch<void>(`/api/files/${encodeURIComponent(id)}`, { method: 'DELETE' });

export function useDeleteFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteFile,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: filesQueryKey }),
        queryClient.invalidateQueries({ queryKey: meQueryKey }),
      ]),
  });
}
