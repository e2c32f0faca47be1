import type { CreateUploadBody, InstantAvailable, UploadCreated } from '@filestore/contract';
import { fileTooLarge } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { chunkCountFor, chunkSizeFor } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/**
 * POST /api/uploads {name, size, sha1} → 201 {uploadId, chunkSize, chunkCount, uploaded}; the same
 * user asking again for the same sha1 and size gets the same open upload back; content that
 * already exists: 200 {instant: true}.
 */
export async function initUpload(
  ctx: UploadContext,
  userId: string,
  body: CreateUploadBody,
): Promise<{ status: 200; body: InstantAvailable } | { status: 201; body: UploadCreated }> {
  if (body.size > ctx.uploadMaxBytes) throw fileTooLarge(ctx.uploadMaxBytes);
  const existing = await ctx.files.contents.find(body.sha1);
  if (existing && existing.size === body.size) return { status: 200, body: { instant: true } };

  const open = await ctx.repository.findOpen(userId, body.sha1, body.size);
  if (open) {
    await ctx.repository.touch(open, { name: body.name });
    const uploaded = await ctx.repository.receivedChunks(open.id);
    return { status: 201, body: describe(open, uploaded) };
  }
  const chunkSize = chunkSizeFor(body.size, ctx.chunkSize);
  const upload = await ctx.repository.create({
    id: newId(),
    userId,
    ...body,
    chunkSize,
    chunkCount: chunkCountFor(body.size, chunkSize),
  });
  return { status: 201, body: describe(upload, []) };
}

const describe = (
  upload: { id: string; chunkSize: number; chunkCount: number },
  uploaded: number[],
): UploadCreated => ({
  uploadId: upload.id,
  chunkSize: Number(upload.chunkSize),
  chunkCount: upload.chunkCount,
  uploaded,
});
