// DELETE /api/folders/:id → 204: the folder and everything inside it.
import { apiFetch } from './client.ts';

export const deleteFolder = (id: string) =>
  apiFetch<void>(`/api/folders/${encodeURIComponent(id)}`, { method: 'DELETE' });
