import type { Request } from 'express';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  ContentMd5,
  UploadChecksum,
  UploadOffset,
} from '@filestore/contract';
import { runningChecksum, type RunningChecksum } from '../content/chunk-checksum.ts';
import { PositionedWriter } from '../content/positioned-writer.ts';
import type { Follower, StagedUpload } from '../content/prefix-hasher.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { bodyOf, ClientGone } from '../http/request-body.ts';
import { parse } from '../http/validate.ts';
import { countChunkRetry } from '../metrics.ts';
import { expectedChunkSize } from './chunk-rules.ts';
import type { UploadContext } from './context.ts';

/** One integrity header: the digest it declares and the error a mismatch answers. */
interface Check {
  header: 'content-md5' | 'upload-checksum';
  algorithm: ChecksumAlgorithm;
  expected: Buffer;
  mismatch: () => HttpError;
}

/** "Integrity header, one required: Content-MD5 … or Upload-Checksum" (both are checked if sent). */
function checksOf(req: Request): Check[] {
  const checks: Check[] = [];
  const header = req.get('upload-checksum');
  if (header !== undefined) {
    const { algorithm, digest } = parse(UploadChecksum, header, 'Upload-Checksum');
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new HttpError(
        'unsupported_checksum',
        `Upload-Checksum: the server takes ${CHECKSUM_ALGORITHMS.join(', ')}`,
      );
    }
    checks.push({
      header: 'upload-checksum',
      algorithm: algorithm as ChecksumAlgorithm,
      expected: Buffer.from(digest, 'base64'),
      mismatch: () =>
        new HttpError(
          'checksum_mismatch',
          `Upload-Checksum (${algorithm}) does not match the chunk`,
        ),
    });
  }
  if (header === undefined || req.get('content-md5') !== undefined) {
    const md5 = parse(ContentMd5, req.get('content-md5'), 'Content-MD5');
    checks.push({
      header: 'content-md5',
      algorithm: 'md5',
      expected: Buffer.from(md5, 'base64'),
      mismatch: () => new HttpError('bad_digest', 'Content-MD5 does not match the bytes received'),
    });
  }
  return checks;
}

/** Hashes the whole chunk for every check, and tells the first that fails. */
class Verifier {
  private readonly sums: RunningChecksum[];
  constructor(private readonly checks: Check[]) {
    this.sums = checks.map((check) => runningChecksum(check.algorithm));
  }
  update(bytes: Buffer): void {
    for (const sum of this.sums) sum.update(bytes);
  }
  assertMatches(): void {
    this.checks.forEach((check, i) => {
      if (!this.sums[i]!.digest().equals(check.expected)) throw check.mismatch();
    });
  }
}

/**
 * PUT /api/uploads/:id/chunks/:index, raw bytes → 204 once the chunk is whole and verified.
 * Headers: `Content-MD5` (400 bad_digest) or `Upload-Checksum` (460 checksum_mismatch), of the
 * whole chunk; `Upload-Offset: n` sends only the chunk's bytes from n on, n being what the server
 * holds (409 offset_mismatch with `offset` otherwise). Bytes of a PUT cut off mid-way are kept; a
 * PUT without Upload-Offset sends the chunk from its start. Chunks may come in any order, again,
 * and in parallel; a whole chunk is never written again.
 */
export async function putChunk(
  ctx: UploadContext,
  req: Request,
  userId: string,
  id: string,
  index: number,
): Promise<void> {
  const checks = checksOf(req);
  const offsetHeader = req.get('upload-offset');
  const offset =
    offsetHeader === undefined ? undefined : parse(UploadOffset, offsetHeader, 'Upload-Offset');
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
  const staged: StagedUpload = {
    id,
    size: Number(upload.size),
    chunkSize: Number(upload.chunkSize),
  };
  const chunk = new ChunkPut(ctx, req, staged, index, checks);
  await ctx.chunkLocks.run(`${id}/${index}`, () => chunk.put(offset));
  ctx.hasher.advance(staged);
}

class ChunkPut {
  private readonly size: number;
  private readonly start: number;
  private readonly md5?: string;

  constructor(
    private readonly ctx: UploadContext,
    private readonly req: Request,
    private readonly upload: StagedUpload,
    private readonly index: number,
    private readonly checks: Check[],
  ) {
    this.size = expectedChunkSize(index, upload.size, upload.chunkSize);
    this.start = index * upload.chunkSize;
    const md5 = checks.find((check) => check.header === 'content-md5');
    this.md5 = md5?.expected.toString('base64');
  }

  private wrongSize = () =>
    new HttpError('invalid_chunk', `Chunk ${this.index} must be exactly ${this.size} bytes`);

  async put(offset: number | undefined): Promise<void> {
    const held = await this.ctx.repository.heldBytes(this.upload.id, this.index);
    if (held > 0) countChunkRetry();
    if (offset !== undefined && offset !== held) {
      throw new HttpError('offset_mismatch', `The server holds ${held} bytes of this chunk`, {
        details: { offset: held },
      });
    }
    const from = offset ?? 0;
    const declared = this.req.get('content-length');
    if (declared !== undefined && Number(declared) !== this.size - from) throw this.wrongSize();
    if (held === this.size) return this.verifyOnly(from);
    // Sent from its start again: what was held of it no longer counts.
    if (from < held) await this.record(0);
    await this.write(from);
  }

  /** A chunk already whole is not written again: the bytes sent are checked against the checks. */
  private async verifyOnly(from: number): Promise<void> {
    const verifier = new Verifier(this.checks);
    for await (const bytes of this.ctx.staging.read(this.upload.id, this.start, this.start + from))
      verifier.update(bytes);
    let received = from;
    for await (const bytes of bodyOf(this.req)) {
      received += bytes.length;
      if (received > this.size) throw this.wrongSize();
      verifier.update(bytes);
    }
    if (received !== this.size) throw this.wrongSize();
    verifier.assertMatches();
  }

  private async write(from: number): Promise<void> {
    const verifier = new Verifier(this.checks);
    const file = await this.ctx.staging.open(this.upload.id);
    const writer = new PositionedWriter(file, this.start + from);
    let follower: Follower | undefined;
    let whole = false;
    try {
      follower = await this.ctx.hasher.follow(this.upload, this.start);
      // The checksums (and the running SHA-1) cover the whole chunk: its held part is read back.
      for await (const bytes of this.ctx.staging.read(
        this.upload.id,
        this.start,
        this.start + from,
      )) {
        verifier.update(bytes);
        follower?.update(bytes);
      }
      let arrived = from;
      for await (const bytes of bodyOf(this.req)) {
        arrived += bytes.length;
        if (arrived > this.size) throw this.wrongSize();
        verifier.update(bytes);
        follower?.update(bytes);
        await writer.push(bytes);
      }
      await writer.flush();
      if (arrived !== this.size) throw this.wrongSize();
      verifier.assertMatches();
      await this.record(this.size);
      whole = true;
    } catch (err) {
      // Cut off mid-way: the bytes that arrived are kept, for a PUT with Upload-Offset to go on
      // from. Anything else (a mismatch, a wrong size, a full disk) leaves nothing of the chunk.
      const kept = err instanceof ClientGone ? await this.keptAfterCut(writer, from) : 0;
      await this.record(kept).catch(() => undefined);
      throw err;
    } finally {
      await writer.flush().catch(() => undefined); // no write may still run on the closed file
      await file.close();
      // The state at the chunk's end is saved only once the chunk is recorded whole.
      await (whole ? follower?.save() : follower?.drop());
    }
  }

  /** What a cut-off PUT holds: every byte that arrived, once the queued ones are written. */
  private async keptAfterCut(writer: PositionedWriter, from: number): Promise<number> {
    await writer.flush().catch(() => undefined);
    return from + writer.written;
  }

  private record(received: number): Promise<void> {
    return this.ctx.repository.recordChunk(this.upload.id, this.index, {
      size: this.size,
      received,
      ...(received === this.size && this.md5 ? { md5: this.md5 } : {}),
    });
  }
}
