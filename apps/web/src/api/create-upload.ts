// POST /api/uploads {name, size, sha1?} → 201 {uploadId, chunkSize, chunkCount, uploaded, partial,
// checksums} (a new upload, or this user's open one for the same content), or 200 {instant: true}
// when a sha1 was given and the server already has the content. Driven by the upload engine.
import type { CreateUploadBody, InstantAvailable, UploadCreated } from '@filestore/contract';
import type { PartialChunk } from './get-upload.ts';
import { apiFetch } from './client.ts';

/** Contract v2: the SHA-1 may come later, with complete. */
export type CreateUploadRequest = Omit<CreateUploadBody, 'sha1'> & { sha1?: string };

export type UploadOpened = UploadCreated & { partial?: PartialChunk[] };

export const createUpload = (body: CreateUploadRequest, signal?: AbortSignal) =>
  apiFetch<UploadOpened | InstantAvailable>('/api/uploads', { method: 'POST', body, signal });
