// POST /api/auth/login {username, password} → {token, user} and the session cookie.
import type { Credentials, LoginResponse, User } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { meQueryKey } from './get-me.ts';

// The SPA relies on the httpOnly cookie, so the token in the answer is not kept.
export const login = async (credentials: Credentials): Promise<User> =>
  (await apiFetch<LoginResponse>('/api/auth/login', { method: 'POST', body: credentials })).user;

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => queryClient.setQueryData(meQueryKey, user),
  });
}
