// POST /api/auth/register {username, password} → 201 {user}; 409 username_taken.
import type { Credentials, User, UserResponse } from '@filestore/contract';
import { useMutation } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export const register = async (credentials: Credentials): Promise<User> =>
  (await apiFetch<UserResponse>('/api/auth/register', { method: 'POST', body: credentials })).user;

export const useRegister = () => useMutation({ mutationFn: register });
