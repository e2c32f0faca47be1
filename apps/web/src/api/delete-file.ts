// DELETE /api/files/:id → 204: the file moves to the trash (still counted in the quota until
// purged); its share links answer 410 until it is restored.
import { apiFetch } from './client.ts';

export const deleteFile = (id: string) =>
  apiFetch<void>(`/api/files/${encodeURIComponent(id)}`, { method: 'DELETE' });
