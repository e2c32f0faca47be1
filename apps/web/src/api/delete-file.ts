// DELETE /api/files/:id → 204; frees the caller's used bytes.
import { apiFetch } from './client.ts';

export const deleteFile = (id: string) =>
  apiFetch<void>(`/api/files/${encodeURIComponent(id)}`, { method: 'DELETE' });
