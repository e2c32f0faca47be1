import {
  CHECKSUM_ALGORITHMS,
  type CreateUploadBody,
  type InstantAvailable,
  type PartialChunks,
  type UploadCreated,
} from '@filestore/contract';
import type { z } from 'zod';
import { fileTooLarge } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { chunkCountFor, chunkSizeFor, heldOf } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/**
 * POST /api/uploads {name, size, sha1?, folderId?, onConflict?} → 201 {uploadId, chunkSize,
 * chunkCount, uploaded, partial, checksums}; the same user asking again for the same sha1 and size
 * gets the same open upload back; content that already exists: 200 {instant: true} while the
 * caller's probe budget lasts. Without a sha1 (given at complete instead) there is neither matching
 * nor instant. 404 for a folder that is not the user's; 413 quota_exceeded when the file does not
 * fit beside the user's files and unfinished uploads. onConflict is kept with the upload and
 * applied at complete (the name may be taken or freed meanwhile); `fail` answers 409 name_taken
 * here already when the name is taken.
 */
export async function initUpload(
  ctx: UploadContext,
  userId: string,
  body: z.output<typeof CreateUploadBody>,
): Promise<{ status: 200; body: InstantAvailable } | { status: 201; body: UploadCreated }> {
  if (body.size > ctx.uploadMaxBytes) throw fileTooLarge(ctx.uploadMaxBytes);
  const folderId = await ctx.folders.target(userId, body.folderId);
  if (body.onConflict === 'fail') await ctx.files.assertNameFree(userId, folderId, body.name);
  const { sha1 } = body;
  const open = sha1 ? await ctx.repository.findOpen(userId, sha1, body.size) : undefined;
  // The user's other unfinished uploads hold their room, so parallel uploads cannot overbook it.
  await ctx.accounts.assertRoom(
    userId,
    body.size + (await ctx.repository.openBytes(userId, open?.id)),
  );
  // Whether the content exists is told only within the caller's probe budget (files/instant.ts);
  // beyond it the answer is the one for new content, so a prober learns nothing and a real client
  // simply uploads the bytes.
  if (sha1 && (await ctx.instant.takeProbe(userId))) {
    const existing = await ctx.files.contents.find(sha1);
    if (existing && existing.size === body.size) return { status: 200, body: { instant: true } };
  }

  if (open) {
    await ctx.repository.touch(open, { name: body.name, folderId, onConflict: body.onConflict });
    const { uploaded, partial } = heldOf(await ctx.repository.heldChunks(open.id));
    return { status: 201, body: describe(open, uploaded, partial) };
  }
  const chunkSize = chunkSizeFor(body.size, ctx.chunkSize);
  const upload = await ctx.repository.create({
    id: newId(),
    userId,
    ...body,
    sha1: sha1 ?? null,
    folderId,
    chunkSize,
    chunkCount: chunkCountFor(body.size, chunkSize),
  });
  return { status: 201, body: describe(upload, [], []) };
}

const describe = (
  upload: { id: string; chunkSize: number; chunkCount: number },
  uploaded: number[],
  partial: PartialChunks,
): UploadCreated => ({
  uploadId: upload.id,
  chunkSize: Number(upload.chunkSize),
  chunkCount: upload.chunkCount,
  uploaded,
  partial,
  checksums: [...CHECKSUM_ALGORITHMS],
});
