import type { UploadStatus } from '@filestore/contract';
import { notFound } from '../http/errors.ts';
import { expectedChunkSize, heldOf, missingChunks } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/**
 * GET /api/uploads/:id → {uploadId, name, size, chunkSize, chunkCount, uploaded, missing, partial,
 * bytesReceived, percent}: what the server holds, to the byte, so a client resumes each chunk at
 * its offset and shows the progress the server has.
 */
export async function uploadStatus(
  ctx: UploadContext,
  userId: string,
  id: string,
): Promise<UploadStatus> {
  const upload = await ctx.repository.findOwned(userId, id);
  if (!upload) throw notFound('upload');
  const { uploaded, partial } =
    upload.state === 'completed'
      ? { uploaded: range(upload.chunkCount), partial: [] }
      : heldOf(await ctx.repository.heldChunks(id));
  const size = Number(upload.size);
  const chunkSize = Number(upload.chunkSize);
  // By bytes, so the short last chunk and the partial ones count for what they are.
  const bytesReceived =
    uploaded.reduce((sum, index) => sum + expectedChunkSize(index, size, chunkSize), 0) +
    partial.reduce((sum, chunk) => sum + chunk.bytes, 0);
  return {
    uploadId: upload.id,
    name: upload.name,
    size,
    chunkSize,
    chunkCount: upload.chunkCount,
    uploaded,
    missing: missingChunks(upload.chunkCount, uploaded),
    partial,
    bytesReceived,
    percent:
      size === 0
        ? upload.state === 'completed'
          ? 100
          : 0
        : Math.floor((bytesReceived / size) * 10000) / 100,
  };
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
