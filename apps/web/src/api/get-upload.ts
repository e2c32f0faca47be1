// GET /api/uploads/:id → {uploadId, name, size, chunkSize, chunkCount, uploaded, missing, partial,
// bytesReceived, percent}; 404 once it is unknown, expired, cancelled or finished.
import type { UploadStatus } from '@filestore/contract';
import { apiFetch } from './client.ts';

export const getUpload = (uploadId: string, signal?: AbortSignal) =>
  apiFetch<UploadStatus>(`/api/uploads/${encodeURIComponent(uploadId)}`, { signal });
