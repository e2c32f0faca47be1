// DELETE /api/trash → 204: everything in the trash is gone for good.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { refreshDrive } from './refresh-drive.ts';

export const emptyTrash = () => apiFetch<void>('/api/trash', { method: 'DELETE' });

export function useEmptyTrash() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: emptyTrash,
    onSettled: () => refreshDrive(queryClient),
  });
}
