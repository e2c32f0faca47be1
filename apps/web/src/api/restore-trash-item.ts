// POST /api/trash/:id/restore → {file} or {folder}: back in its original folder (the root if that
// folder is gone or trashed), renamed " (1)" if its name was taken meanwhile; its share links work
// again. Also the Undo of a delete.
import type { RestoredResponse } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { refreshDrive } from './refresh-drive.ts';

export const restoreTrashItem = (id: string) =>
  apiFetch<RestoredResponse>(`/api/trash/${encodeURIComponent(id)}/restore`, { method: 'POST' });

export function useRestoreTrashItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreTrashItem,
    onSettled: () => refreshDrive(queryClient),
  });
}
