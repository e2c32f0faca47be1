// POST /api/uploads/:id/complete {sha1} → 201 {file}; 409 chunks_missing with `missing`; 422
// sha1_mismatch (the server has then discarded the upload). Idempotent: safe to send again.
import type { FileItem, FileResponse } from '@filestore/contract';
import { apiFetch } from './client.ts';

export const completeUpload = async (
  uploadId: string,
  sha1: string,
  signal?: AbortSignal,
): Promise<FileItem> =>
  (
    await apiFetch<FileResponse>(`/api/uploads/${encodeURIComponent(uploadId)}/complete`, {
      method: 'POST',
      body: { sha1 },
      signal,
    })
  ).file;
