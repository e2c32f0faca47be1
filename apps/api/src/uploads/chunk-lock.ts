// One PUT at a time per chunk: a resumed PUT waits until the one it replaces (cut off, but perhaps
// not yet noticed) has recorded what it holds, and then checks its offset. In this process the PUTs
// of a chunk queue in memory (ChunkLocks); across processes sharing the database and STAGING_DIR
// the one writing holds a claim on the chunk's row (claimChunk), renewed while its bytes stream.
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../http/errors.ts';
import type { ChunkClaim, UploadRepository } from './repository.ts';

/** A PUT that finds another process writing its chunk looks again this often, for this long. */
const CLAIM_POLL_MS = 50;
const CLAIM_WAIT_LIMIT_MS = 30_000;

export class ChunkLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Claims the chunk, waiting while a live claim of another process holds it (a claim of a process
 * that died lapses within CHUNK_CLAIM_MS). `seen`: the bytes of it last read (undefined: no row).
 * 409 chunk_busy when it stays claimed for CLAIM_WAIT_LIMIT_MS (a slow client still sending it).
 */
export async function claimChunk(
  repository: UploadRepository,
  uploadId: string,
  index: number,
  size: number,
  seen: number | undefined,
): Promise<ChunkClaim> {
  const deadline = Date.now() + CLAIM_WAIT_LIMIT_MS;
  for (;;) {
    const claim = await repository.claimChunk(uploadId, index, size, seen);
    if (claim) return claim;
    const held = await repository.chunkHeld(uploadId, index);
    seen = held.received;
    if (!held.claimed) continue; // it changed hands meanwhile: claim it as it is now
    if (Date.now() >= deadline) {
      throw new HttpError('chunk_busy', 'Another request is still sending this chunk', {
        headers: { 'retry-after': '1' },
      });
    }
    await sleep(CLAIM_POLL_MS);
  }
}
