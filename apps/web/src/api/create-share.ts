// POST /api/shares {fileId, expiresInSeconds?, withCode?, maxDownloads?} → 201 {share: {token,
// url, code?, expiresAt}}. The code is shown this once: the server keeps only its hash.
import type { CreateShareBody, ShareCreated } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { sharesQueryKey } from './get-shares.ts';

export const createShare = async (body: CreateShareBody) =>
  (await apiFetch<ShareCreated>('/api/shares', { method: 'POST', body })).share;

export function useCreateShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createShare,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sharesQueryKey }),
  });
}
