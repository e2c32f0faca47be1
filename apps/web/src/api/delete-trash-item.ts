// DELETE /api/trash/:id → 204: gone for good; its bytes are freed unless someone else holds them.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { refreshDrive } from './refresh-drive.ts';

export const deleteTrashItem = (id: string) =>
  apiFetch<void>(`/api/trash/${encodeURIComponent(id)}`, { method: 'DELETE' });

export function useDeleteTrashItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTrashItem,
    onSettled: () => refreshDrive(queryClient),
  });
}
