import type { UploadStatus } from '@filestore/contract';
import { notFound } from '../http/errors.ts';
import { expectedChunkSize, missingChunks } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/** GET /api/uploads/:id → {uploadId, name, size, chunkSize, chunkCount, uploaded, missing, percent} */
export async function uploadStatus(
  ctx: UploadContext,
  userId: string,
  id: string,
): Promise<UploadStatus> {
  const upload = await ctx.repository.findOwned(userId, id);
  if (!upload) throw notFound('upload');
  const uploaded =
    upload.state === 'completed'
      ? range(upload.chunkCount)
      : await ctx.repository.receivedChunks(id);
  const size = Number(upload.size);
  const chunkSize = Number(upload.chunkSize);
  // Percent by bytes, so the short last chunk counts for what it is.
  const receivedBytes = uploaded.reduce(
    (sum, index) => sum + expectedChunkSize(index, size, chunkSize),
    0,
  );
  return {
    uploadId: upload.id,
    name: upload.name,
    size,
    chunkSize,
    chunkCount: upload.chunkCount,
    uploaded,
    missing: missingChunks(upload.chunkCount, uploaded),
    percent:
      size === 0
        ? upload.state === 'completed'
          ? 100
          : 0
        : Math.floor((receivedBytes / size) * 10000) / 100,
  };
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
