// DELETE /api/uploads/:id → 204: the upload and its chunks are gone.
import { apiFetch } from './client.ts';

export const cancelUpload = (uploadId: string) =>
  apiFetch<void>(`/api/uploads/${encodeURIComponent(uploadId)}`, { method: 'DELETE' });
