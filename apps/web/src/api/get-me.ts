// GET /api/me → {user}; 401 when nobody is logged in.
import type { User, UserResponse } from '@filestore/contract';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export const meQueryKey = ['me'] as const;

export const getMe = async (): Promise<User> => (await apiFetch<UserResponse>('/api/me')).user;

export const meQueryOptions = () => queryOptions({ queryKey: meQueryKey, queryFn: getMe });

export const useMe = () => useQuery(meQueryOptions());
