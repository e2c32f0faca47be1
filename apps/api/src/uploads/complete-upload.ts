import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepRenewing } from '../db/lease.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { UserFileRow } from '../files/models.ts';
import { missingChunks } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';
import type { UploadRow } from './models.ts';
import { CLAIM_LEASE_MS } from './repository.ts';

// A complete that finds another request completing the upload looks again this often, for up to
// this long: longer than a claim lasts, so a claim left by a crashed process is taken over.
const WAIT_POLL_MS = 250;
const WAIT_LIMIT_MS = 2 * CLAIM_LEASE_MS;

/** Another request took the claim over (this one seemed dead), or the upload was cancelled. */
class ClaimLost extends Error {}

/**
 * POST /api/uploads/:id/complete {sha1?} → 201 {file}; 400 sha1_required when neither init nor
 * complete gave the SHA-1; 409 chunks_missing with `missing`; 422 sha1_mismatch (the upload is
 * then discarded). The running SHA-1 has followed the chunks as they came: only what it has not
 * covered yet is read, and the staging file is linked into place, not copied. "A second,
 * concurrent complete answers 201 with the same file or 409; there is never a second file": it
 * waits for the first and gets its file (409 upload_closed
 * if that takes longer than WAIT_LIMIT_MS). A retry after any failure gets the same file too: the
 * file and the upload's completed mark are written in one transaction.
 */
export async function completeUpload(
  ctx: UploadContext,
  userId: string,
  id: string,
  sha1?: string,
): Promise<{ file: UserFileRow; cleanUp?: () => Promise<void> }> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const upload = await ctx.repository.findOwned(userId, id);
    if (!upload) throw notFound('upload');
    if (upload.state === 'completed') return { file: await sameFileAgain(ctx, upload) };
    if (upload.state === 'open' || claimLapsed(upload)) {
      const declared = [
        ...new Set([upload.sha1, sha1].filter((given) => given !== undefined && given !== null)),
      ];
      if (declared.length === 0) {
        throw new HttpError(
          'sha1_required',
          'sha1: required, as the upload was started without it',
        );
      }
      const missing = missingChunks(upload.chunkCount, await ctx.repository.receivedChunks(id));
      if (missing.length > 0) {
        throw new HttpError('chunks_missing', `${missing.length} chunks have not been received`, {
          details: { missing },
        });
      }
      const claimId = await ctx.repository.claimForCompletion(id);
      const file = claimId && (await completeClaimed(ctx, upload, claimId, declared));
      // Deleting the chunks can take the client's time (0.1–0.5 s per GiB): do it after answering.
      if (file) return { file, cleanUp: () => ctx.staging.remove(id) };
      continue; // another request holds the claim now: look again
    }
    if (Date.now() >= deadline)
      throw new HttpError('upload_closed', 'This upload is being completed; try again shortly');
    await sleep(WAIT_POLL_MS);
  }
}

/** A completing upload whose holder stopped renewing its claim (it crashed): it may be taken over. */
const claimLapsed = (upload: UploadRow) =>
  !upload.claimedUntil || upload.claimedUntil.getTime() <= Date.now();

/** Completes under a claim, renewing it meanwhile; undefined when the claim was lost. */
async function completeClaimed(
  ctx: UploadContext,
  upload: UploadRow,
  claimId: string,
  declared: string[],
): Promise<UserFileRow | undefined> {
  const stopRenewal = keepRenewing(
    () => ctx.repository.renewClaim(upload.id, claimId),
    CLAIM_LEASE_MS,
  );
  try {
    return await finish(ctx, upload, claimId, declared);
  } catch (err) {
    if (err instanceof ClaimLost) return undefined;
    // Over quota, or a fault (disk, database): nothing was written, the chunks are intact and the
    // client may try again. (A SHA-1 mismatch has discarded the upload; reopening it is a no-op.)
    await ctx.repository.reopen(upload.id, claimId);
    throw err;
  } finally {
    stopRenewal();
  }
}

/** Checks the running SHA-1 against the declared one and puts the staged bytes in the drive. */
async function finish(
  ctx: UploadContext,
  upload: UploadRow,
  claimId: string,
  declared: string[],
): Promise<UserFileRow> {
  const size = Number(upload.size);
  const sha1 = await ctx.hasher.finish({
    id: upload.id,
    size,
    chunkSize: Number(upload.chunkSize),
  });
  if (declared.some((given) => given !== sha1)) {
    await ctx.repository.discard(upload.id);
    await ctx.staging.remove(upload.id);
    throw new HttpError(
      'sha1_mismatch',
      `The chunks add up to SHA-1 ${sha1}, not ${declared.join(' / ')}; the upload was discarded`,
    );
  }
  // A folder deleted while the upload ran: the file lands in the root rather than being lost.
  const folderId = await ctx.folders.target(upload.userId, upload.folderId).catch((err) => {
    if (err instanceof HttpError) return null;
    throw err;
  });
  // A second name for the staged bytes, which the content store moves into place (or drops when
  // the content exists): the staging file itself stays until the completion has committed.
  const tempPath = ctx.store.newTempPath();
  try {
    await ctx.staging.linkTo(upload.id, tempPath);
    return await ctx.files.addUploaded(
      {
        userId: upload.userId,
        folderId,
        name: upload.name,
        sha1,
        size,
        onConflict: upload.onConflict,
      },
      tempPath,
      async (file, transaction) => {
        if (!(await ctx.repository.markCompleted(upload.id, claimId, file.id, transaction)))
          throw new ClaimLost(`upload ${upload.id} is no longer held by this completion`);
      },
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
