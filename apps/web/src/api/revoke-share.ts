// DELETE /api/shares/:token → 204: the link stops working at once, downloads in progress too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { sharesQueryKey } from './get-shares.ts';

export const revokeShare = (token: string) =>
  apiFetch<void>(`/api/shares/${encodeURIComponent(token)}`, { method: 'DELETE' });

export function useRevokeShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeShare,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sharesQueryKey }),
  });
}
