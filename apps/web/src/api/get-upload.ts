// GET /api/uploads/:id → {uploadId, name, size, chunkSize, chunkCount, uploaded, missing, partial,
// bytesReceived, percent}; 404 once it is unknown, expired, cancelled or finished.
import type { UploadStatus } from '@filestore/contract';
import { apiFetch } from './client.ts';

/** Chunks held in part after a PUT was cut off: resume each at `bytes` (contract v2). */
export type PartialChunk = { index: number; bytes: number };

export type UploadProgress = UploadStatus & { partial: PartialChunk[]; bytesReceived: number };

export const getUpload = (uploadId: string, signal?: AbortSignal) =>
  apiFetch<UploadProgress>(`/api/uploads/${encodeURIComponent(uploadId)}`, { signal });
