import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import { ContentMd5 } from '@filestore/contract';
import { HttpError, notFound } from '../http/errors.ts';
import { bodyOf } from '../http/request-body.ts';
import { parse } from '../http/validate.ts';
import { TooManyBytes, writeDigested } from '../storage/digest-stream.ts';
import { expectedChunkSize } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/**
 * PUT /api/uploads/:id/chunks/:index, raw bytes, header Content-MD5 (base64) → 204; 400 bad_digest
 * on a mismatch, 400 on a bad index or size; chunks may come in any order, again, and in parallel.
 */
export async function putChunk(
  ctx: UploadContext,
  req: Request,
  userId: string,
  id: string,
  index: number,
): Promise<void> {
  const md5 = parse(ContentMd5, req.get('content-md5'), 'Content-MD5');
  const upload = await ctx.repository.findOwned(userId, id);
  if (!upload) throw notFound('upload');
  if (upload.state !== 'open')
    throw new HttpError('upload_closed', 'This upload is already being completed');
  if (index >= upload.chunkCount) {
    throw new HttpError(
      'invalid_chunk',
      `index: this upload has chunks 0 to ${upload.chunkCount - 1}`,
    );
  }
  const expected = expectedChunkSize(index, Number(upload.size), Number(upload.chunkSize));
  const declared = req.get('content-length');
  const wrongSize = () =>
    new HttpError('invalid_chunk', `Chunk ${index} must be exactly ${expected} bytes`);
  if (declared !== undefined && Number(declared) !== expected) throw wrongSize();

  const tempPath = await ctx.staging.tempChunkPath(id, index);
  try {
    const { digest, size } = await writeDigested(bodyOf(req), tempPath, {
      algorithm: 'md5',
      maxBytes: expected,
    }).catch((err: unknown) => {
      throw err instanceof TooManyBytes ? wrongSize() : err;
    });
    if (size !== expected) throw wrongSize();
    if (digest.toString('base64') !== md5) {
      throw new HttpError('bad_digest', 'Content-MD5 does not match the bytes received');
    }
    await ctx.staging.commit(tempPath, id, index);
    await ctx.repository.recordChunk(id, index, size, md5);
  } finally {
    await rm(tempPath, { force: true });
  }
}
