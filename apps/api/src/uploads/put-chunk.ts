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
import type { Follower, HashProgress, StagedUpload } from '../content/prefix-hasher.ts';
import { keepRenewing } from '../db/lease.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { bodyOf, ClientGone } from '../http/request-body.ts';
import { parse } from '../http/validate.ts';
import { countChunkRetry } from '../metrics.ts';
import { expectedChunkSize } from './chunk-rules.ts';
import { claimChunk } from './chunk-lock.ts';
import type { UploadContext } from './context.ts';
import { CHUNK_CLAIM_MS } from './repository.ts';

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
 * and in parallel; a whole chunk is never written again. Two PUTs of one chunk, in one process or
 * two, take turns (chunk-lock.ts; 409 chunk_busy after waiting 30 s for the other).
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
  const target = await ctx.repository.findChunkTarget(userId, id, index);
  if (!target) throw notFound('upload');
  if (target.state !== 'open')
    throw new HttpError('upload_closed', 'This upload is already being completed');
  if (index >= target.chunkCount) {
    throw new HttpError(
      'invalid_chunk',
      `index: this upload has chunks 0 to ${target.chunkCount - 1}`,
    );
  }
  const staged: StagedUpload = { id, size: target.size, chunkSize: target.chunkSize };
  const chunk = new ChunkPut(ctx, req, staged, index, checks, target.hash);
  // A whole chunk is never written again: its PUT only checks the bytes sent, without a turn.
  if (target.received === chunk.size) return chunk.answer(offset, chunk.size);
  await ctx.chunkLocks.run(`${id}/${index}`, async () => {
    const claim = await claimChunk(ctx.repository, id, index, chunk.size, target.received);
    if (claim.claimId === undefined) return chunk.answer(offset, chunk.size);
    await chunk.claimed(claim.claimId, () => chunk.answer(offset, claim.received));
  });
}

class ChunkPut {
  readonly size: number;
  private readonly start: number;
  private readonly md5?: string;
  /** The claim on the chunk's row while this PUT writes, until it records what it holds. */
  private claimId?: string;

  constructor(
    private readonly ctx: UploadContext,
    private readonly req: Request,
    private readonly upload: StagedUpload,
    private readonly index: number,
    private readonly checks: Check[],
    /** The running SHA-1 as read with the upload (a follower starts from it). */
    private readonly hash: HashProgress,
  ) {
    this.size = expectedChunkSize(index, upload.size, upload.chunkSize);
    this.start = index * upload.chunkSize;
    const md5 = checks.find((check) => check.header === 'content-md5');
    this.md5 = md5?.expected.toString('base64');
  }

  private wrongSize = () =>
    new HttpError('invalid_chunk', `Chunk ${this.index} must be exactly ${this.size} bytes`);

  /** Runs `work` under the claim, renewing it; a claim still held when `work` fails is let go. */
  async claimed(claimId: string, work: () => Promise<void>): Promise<void> {
    this.claimId = claimId;
    const renew = () => this.ctx.repository.renewChunkClaim(this.upload.id, this.index, claimId);
    const stopRenewal = keepRenewing(renew, CHUNK_CLAIM_MS);
    try {
      await work();
    } finally {
      stopRenewal();
      if (this.claimId) await this.record(undefined, true).catch(() => undefined);
    }
  }

  /** The PUT once the server holds `held` bytes of the chunk. */
  async answer(offset: number | undefined, held: number): Promise<void> {
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
    if (from < held) await this.record(0, false);
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
    try {
      const end = this.start + this.size;
      follower = await this.ctx.hasher.follow(this.upload, this.start, end, this.hash);
      // The checksums (and the running SHA-1) cover the whole chunk: its held part is read back.
      for await (const bytes of this.ctx.staging.read(
        this.upload.id,
        this.start,
        this.start + from,
      )) {
        verifier.update(bytes);
        await follower?.update(bytes);
      }
      let arrived = from;
      for await (const bytes of bodyOf(this.req)) {
        arrived += bytes.length;
        if (arrived > this.size) throw this.wrongSize();
        verifier.update(bytes);
        await follower?.update(bytes);
        await writer.push(bytes);
      }
      await writer.flush();
      if (arrived !== this.size) throw this.wrongSize();
      verifier.assertMatches();
    } catch (err) {
      // Cut off mid-way: the bytes that arrived are kept, for a PUT with Upload-Offset to go on
      // from. Anything else (a mismatch, a wrong size, a full disk) leaves nothing of the chunk.
      const kept = err instanceof ClientGone ? await this.keptAfterCut(writer, from) : 0;
      await this.ended(kept, follower).catch(() => undefined);
      throw err;
    } finally {
      await writer.flush().catch(() => undefined); // no write may still run on the closed file
      await file.close();
    }
    await this.ended(this.size, follower);
  }

  /** What a cut-off PUT holds: every byte that arrived, once the queued ones are written. */
  private async keptAfterCut(writer: PositionedWriter, from: number): Promise<number> {
    await writer.flush().catch(() => undefined);
    return from + writer.written;
  }

  /**
   * The PUT's end: what the chunk holds is recorded and its claim let go; then, in one statement,
   * the upload's expiry and the running SHA-1 at the chunk's end (saved only once the chunk is
   * recorded whole), which goes on to the next chunk's PUT or catches up over chunks ahead.
   */
  private async ended(received: number, follower: Follower | undefined): Promise<void> {
    let saved = false;
    try {
      const recorded = await this.record(received, true);
      const hash = await follower?.finishChunk(recorded && received === this.size);
      await this.ctx.repository.chunkEnded(this.upload.id, hash);
      saved = recorded;
      if (!recorded) {
        throw new HttpError(
          'chunk_busy',
          'This PUT lost its turn at the chunk (the upload changed meanwhile); look and send again',
        );
      }
    } finally {
      if (follower) follower.settle(saved);
      else if (saved && received === this.size) this.ctx.hasher.advance(this.upload);
    }
  }

  /** Records the bytes held (undefined: as they were), keeping the claim or letting it go. */
  private async record(received: number | undefined, release: boolean): Promise<boolean> {
    const claimId = this.claimId;
    if (!claimId) return false;
    if (release) this.claimId = undefined;
    const whole = received === this.size;
    return this.ctx.repository.recordChunk(
      this.upload.id,
      this.index,
      claimId,
      { received, md5: whole && this.md5 ? this.md5 : '' },
      release,
    );
  }
}
