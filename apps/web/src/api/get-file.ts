// GET /api/files/:id → {file}; another user's id is 404 like a missing one.
import type { FileItem, FileResponse } from '@filestore/contract';
import { apiFetch } from './client.ts';

export const getFile = async (id: string): Promise<FileItem> =>
  (await apiFetch<FileResponse>(`/api/files/${encodeURIComponent(id)}`)).file;
