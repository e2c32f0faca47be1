// GET /api/shares → {items}: the caller's live links, newest first (revoked ones are gone).
import type { ListSharesResponse } from '@filestore/contract';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export const sharesQueryKey = ['shares'] as const;

export const useShares = () =>
  useQuery({
    queryKey: sharesQueryKey,
    queryFn: async ({ signal }) =>
      (await apiFetch<ListSharesResponse>('/api/shares', { signal })).items,
  });
