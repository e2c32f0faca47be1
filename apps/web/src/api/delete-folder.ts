// DELETE /api/folders/:id → 204: the folder, with everything inside it, moves to the trash.
import { apiFetch } from './client.ts';

export const deleteFolder = (id: string) =>
  apiFetch<void>(`/api/folders/${encodeURIComponent(id)}`, { method: 'DELETE' });
