// POST /api/uploads {name, size, sha1?} → 201 {uploadId, chunkSize, chunkCount, uploaded, partial,
// checksums} (a new upload, or this user's open one for the same content), or 200 {instant: true}
// when a sha1 was given and the server already has the content. Driven by the upload engine.
import type { CreateUploadBody, InstantAvailable, UploadCreated } from '@filestore/contract';
import { apiFetch } from './client.ts';

export const createUpload = (body: CreateUploadBody, signal?: AbortSignal) =>
  apiFetch<UploadCreated | InstantAvailable>('/api/uploads', { method: 'POST', body, signal });
