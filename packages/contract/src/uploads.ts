import { z } from './zod.ts';
import { ByteSize, FileName, Id, Sha1 } from './common.ts';

/** Chunked, resumable uploads (分块上传 / 断点续传): init → PUT chunks → complete, or cancel. */
export const CreateUploadBody = z
  .object({ name: FileName, size: ByteSize, sha1: Sha1, folderId: Id.optional() })
  .openapi('CreateUploadBody');
export type CreateUploadBody = z.infer<typeof CreateUploadBody>;

const ChunkIndexes = z.array(z.number().int().nonnegative());

export const UploadCreated = z
  .object({
    uploadId: Id,
    chunkSize: z.number().int().positive(),
    chunkCount: z.number().int().nonnegative(),
    uploaded: ChunkIndexes.openapi({ description: 'chunks already received (a resumed upload)' }),
  })
  .openapi('UploadCreated');
export type UploadCreated = z.infer<typeof UploadCreated>;

/** The content already exists: go through POST /api/files/instant instead. */
export const InstantAvailable = z.object({ instant: z.literal(true) }).openapi('InstantAvailable');
export type InstantAvailable = z.infer<typeof InstantAvailable>;

export const UploadStatus = z
  .object({
    uploadId: Id,
    name: z.string(),
    size: ByteSize,
    chunkSize: z.number().int().positive(),
    chunkCount: z.number().int().nonnegative(),
    uploaded: ChunkIndexes,
    missing: ChunkIndexes,
    percent: z.number().min(0).max(100),
  })
  .openapi('UploadStatus');
export type UploadStatus = z.infer<typeof UploadStatus>;

export const UploadIdParams = z.object({ id: Id });
export const ChunkParams = z.object({
  id: Id,
  index: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a chunk index')
    .transform(Number),
});

/** `Content-MD5`: the base64 MD5 of the chunk's bytes (RFC 1864). */
export const ContentMd5 = z
  .string()
  .regex(/^[A-Za-z0-9+/]{22}==$/, 'must be the base64 MD5 of the chunk');
