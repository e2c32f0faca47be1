// POST /api/auth/logout → 204; the session stops working.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export const logout = () => apiFetch<void>('/api/auth/logout', { method: 'POST' });

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Nothing cached belongs to the next person at this browser.
    onSuccess: () => queryClient.clear(),
  });
}
