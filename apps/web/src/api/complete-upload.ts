// POST /api/uploads/:id/complete → 201 {file}; 409 chunks_missing with `missing`; 422
// sha1_mismatch (the server has then discarded the upload).
import type { FileItem, FileResponse } from '@filestore/contract';
import { apiFetch } from './client.ts';

export const completeUpload = async (uploadId: string, signal?: AbortSignal): Promise<FileItem> =>
  (
    await apiFetch<FileResponse>(`/api/uploads/${encodeURIComponent(uploadId)}/complete`, {
      method: 'POST',
      signal,
    })
  ).file;
