import { rm } from 'node:fs/promises';
import { HttpError, notFound } from '../http/errors.ts';
import type { UserFileRow } from '../files/models.ts';
import { writeDigested } from '../storage/digest-stream.ts';
import { missingChunks } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';
import type { UploadRow } from './models.ts';

/**
 * POST /api/uploads/:id/complete → 201 {file}; 409 chunks_missing with `missing`; 422 sha1_mismatch
 * (the upload is then discarded). A second, concurrent complete answers 201 with the same file or
 * 409; there is never a second file.
 */
export async function completeUpload(
  ctx: UploadContext,
  userId: string,
  id: string,
): Promise<{ file: UserFileRow; cleanUp?: () => Promise<void> }> {
  const upload = await ctx.repository.findOwned(userId, id);
  if (!upload) throw notFound('upload');
  if (upload.state === 'completed') return { file: await sameFileAgain(ctx, upload) };

  const missing = missingChunks(upload.chunkCount, await ctx.repository.receivedChunks(id));
  if (missing.length > 0) {
    throw new HttpError('chunks_missing', `${missing.length} chunks have not been received`, {
      details: { missing },
    });
  }
  if (!(await ctx.repository.claimForCompletion(id))) {
    const now = await ctx.repository.findOwned(userId, id);
    if (now?.state === 'completed') return { file: await sameFileAgain(ctx, now) };
    throw new HttpError('upload_closed', 'This upload is already being completed');
  }

  try {
    const file = await assemble(ctx, upload);
    await ctx.repository.markCompleted(id, file.id);
    // Deleting the chunks can take the client's time (0.1–0.5 s per GiB): do it after answering.
    return { file, cleanUp: () => ctx.staging.remove(id) };
  } catch (err) {
    // Over quota, or a fault (disk, database): the chunks are intact, the client may try again
    // later. (A SHA-1 mismatch has discarded the upload already; reopening it is a no-op.)
    await ctx.repository.reopen(id);
    throw err;
  }
}

/** Joins the chunks in order into one staged file, computing its SHA-1 in the same pass. */
async function assemble(ctx: UploadContext, upload: UploadRow): Promise<UserFileRow> {
  const tempPath = ctx.store.newTempPath();
  try {
    const { digest, size } = await writeDigested(
      ctx.staging.readAll(upload.id, upload.chunkCount),
      tempPath,
      {
        algorithm: 'sha1',
      },
    );
    const sha1 = digest.toString('hex');
    if (sha1 !== upload.sha1 || size !== Number(upload.size)) {
      await ctx.repository.discard(upload.id);
      await ctx.staging.remove(upload.id);
      throw new HttpError(
        'sha1_mismatch',
        `The chunks add up to SHA-1 ${sha1}, not ${upload.sha1}; the upload was discarded`,
      );
    }
    // A folder deleted while the upload ran: the file lands in the root rather than being lost.
    const folderId = await ctx.folders.target(upload.userId, upload.folderId).catch((err) => {
      if (err instanceof HttpError) return null;
      throw err;
    });
    return await ctx.files.addUploaded(
      { userId: upload.userId, folderId, name: upload.name, sha1, size },
      tempPath,
    );
  } finally {
    await rm(tempPath, { force: true });
  }
}

async function sameFileAgain(ctx: UploadContext, upload: UploadRow): Promise<UserFileRow> {
  // The file may have been deleted since; then there is nothing to hand back.
  return ctx.files.get(upload.userId, upload.fileId!).catch(() => {
    throw new HttpError('upload_closed', 'This upload was completed earlier');
  });
}
