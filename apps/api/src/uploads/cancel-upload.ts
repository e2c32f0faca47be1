import { notFound } from '../http/errors.ts';
import type { UploadContext } from './context.ts';

/** DELETE /api/uploads/:id → 204; the upload and its chunks are gone. */
export async function cancelUpload(ctx: UploadContext, userId: string, id: string): Promise<void> {
  const upload = await ctx.repository.findOwned(userId, id);
  if (!upload) throw notFound('upload');
  await ctx.repository.discard(id);
  await ctx.staging.remove(id);
}

/**
 * Deletes uploads that expired UPLOAD_TTL after their last activity, with their chunks. Safe in
 * several processes at once: only the process whose conditional delete succeeds removes files.
 */
export async function sweepExpiredUploads(ctx: UploadContext): Promise<number> {
  let swept = 0;
  for (const id of await ctx.repository.expiredIds(500)) {
    if (await ctx.repository.discard(id, true)) {
      await ctx.staging.remove(id);
      swept += 1;
    }
  }
  // Folders whose upload row is gone (a cancel racing a chunk, a crash between the two steps).
  await ctx.staging.sweepOrphans((uploadId) => ctx.repository.exists(uploadId), 60 * 60 * 1000);
  return swept;
}
