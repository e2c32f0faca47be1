import { z } from './zod.ts';
import { ByteSize, FileName, Id, Sha1 } from './common.ts';
import { OnConflict } from './versions.ts';

/** Chunked, resumable uploads (分块上传 / 断点续传): init → PUT chunks → complete, or cancel. */
export const CreateUploadBody = z
  .object({
    name: FileName,
    size: ByteSize,
    sha1: Sha1.optional().openapi({
      description:
        "The whole file's SHA-1 when known up front (enables instant upload and resuming by content); otherwise give it to complete",
    }),
    folderId: Id.optional(),
    onConflict: OnConflict.default('keep').openapi({
      description: 'kept with the upload and applied at complete; `fail` is also checked here',
    }),
  })
  .openapi('CreateUploadBody');
export type CreateUploadBody = z.input<typeof CreateUploadBody>;

const ChunkIndexes = z.array(z.number().int().nonnegative());

/** The per-chunk checksums `Upload-Checksum` takes (tus checksum extension), cheapest first. */
export const CHECKSUM_ALGORITHMS = ['crc32c', 'md5', 'sha1'] as const;
export const ChecksumAlgorithm = z.enum(CHECKSUM_ALGORITHMS);
export type ChecksumAlgorithm = z.infer<typeof ChecksumAlgorithm>;

/** Chunks the server holds only part of (a PUT cut off mid-way): resume each at `bytes`. */
export const PartialChunks = z
  .array(
    z.object({
      index: z.number().int().nonnegative(),
      bytes: z
        .number()
        .int()
        .positive()
        .openapi({ description: 'bytes of the chunk held, from its start' }),
    }),
  )
  .openapi({ description: 'chunks held in part; send the rest with Upload-Offset' });
export type PartialChunks = z.infer<typeof PartialChunks>;

export const UploadCreated = z
  .object({
    uploadId: Id,
    chunkSize: z.number().int().positive(),
    chunkCount: z.number().int().nonnegative(),
    uploaded: ChunkIndexes.openapi({ description: 'chunks already received (a resumed upload)' }),
    partial: PartialChunks,
    checksums: z.array(z.string()).openapi({
      description: 'the Upload-Checksum algorithms the server takes',
      example: [...CHECKSUM_ALGORITHMS],
    }),
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
    missing: ChunkIndexes.openapi({ description: 'chunks not whole yet (partial ones included)' }),
    partial: PartialChunks,
    bytesReceived: ByteSize.openapi({ description: 'bytes held: whole chunks and partial ones' }),
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

/**
 * `Upload-Checksum: <algorithm> <base64>` (tus checksum extension) of the WHOLE chunk, also when
 * `Upload-Offset` sends only its rest. crc32c is the 4 bytes big-endian (hash-wasm's hex as bytes).
 */
export const UploadChecksum = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,16} [A-Za-z0-9+/]+={0,2}$/, 'must be "<algorithm> <base64 digest>"')
  .transform((value) => {
    const [algorithm, digest] = value.split(' ') as [string, string];
    return { algorithm, digest };
  });
export type UploadChecksum = z.infer<typeof UploadChecksum>;

/** `Upload-Offset`: bytes of the chunk the server already holds; the body is the chunk's rest. */
export const UploadOffset = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a byte offset')
  .transform(Number);

/** POST /api/uploads/:id/complete: `sha1` is required when init had none. */
export const CompleteUploadBody = z.object({ sha1: Sha1.optional() }).openapi('CompleteUploadBody');
export type CompleteUploadBody = z.infer<typeof CompleteUploadBody>;
