// The running SHA-1 of an upload: a hasher that follows the contiguous prefix of whole chunks. A
// PUT that starts where the hasher stands hashes its bytes as they stream (`follow`); chunks that
// arrived ahead of the prefix are read back from the staging file as soon as the gap before them
// closes (`advance`); complete hashes only what is left (`finish`). The hasher's state (hash-wasm
// `save()`) and offset live with the upload in the database, behind a lease, so one process
// advances it at a time and another process sharing STAGING_DIR, or a restart, continues it.
import { setTimeout as sleep } from 'node:timers/promises';
import { createSHA1, type IHasher } from 'hash-wasm';
import { keepRenewing } from '../db/lease.ts';
import { newId } from '../ids.ts';
import type { UploadStaging } from './staging.ts';

/** How long a hash lease holds unrenewed: a holder that died is taken over within this. */
export const HASH_LEASE_MS = 6000;

/** The running SHA-1 at a chunk boundary: bytes hashed from the start, and the saved state. */
export interface HashProgress {
  offset: number;
  /** base64 of hash-wasm's `save()`; null before the first byte. */
  state: string | null;
}

/** Where the running SHA-1 is kept (uploads/repository.ts). */
export interface HashLedger {
  /** The lease when free or lapsed (and the hasher stands at `at`, if given), with the progress. */
  takeHashLease(
    uploadId: string,
    leaseId: string,
    leaseMs: number,
    at?: number,
  ): Promise<HashProgress | undefined>;
  /** Saves progress under the lease, renewing it or letting it go; false when it was lost. */
  saveHash(
    uploadId: string,
    leaseId: string,
    progress: HashProgress,
    leaseMs: number | 'release',
  ): Promise<boolean>;
  renewHashLease(uploadId: string, leaseId: string, leaseMs: number): Promise<boolean>;
  releaseHashLease(uploadId: string, leaseId: string): Promise<void>;
  /** How many whole chunks follow one another from `fromIndex` on. */
  wholeChunksFrom(uploadId: string, fromIndex: number): Promise<number>;
  hashOffset(uploadId: string): Promise<number | undefined>;
}

/** What the hasher needs to know of an upload. */
export interface StagedUpload {
  id: string;
  size: number;
  chunkSize: number;
}

async function hasherAt(progress: HashProgress): Promise<IHasher> {
  const sha1 = await createSHA1();
  if (progress.state) sha1.load(Buffer.from(progress.state, 'base64'));
  else sha1.init();
  return sha1;
}

const progressOf = (sha1: IHasher, offset: number): HashProgress => ({
  offset,
  state: Buffer.from(sha1.save()).toString('base64'),
});

/** Renews the hash lease while its holder works. */
const keepLease = (ledger: HashLedger, uploadId: string, leaseId: string) =>
  keepRenewing(() => ledger.renewHashLease(uploadId, leaseId, HASH_LEASE_MS), HASH_LEASE_MS);

/** A PUT's bytes hashed as they stream, from the chunk boundary where the hasher stood. */
export class Follower {
  private readonly stopRenewal: () => void;

  constructor(
    private readonly ledger: HashLedger,
    private readonly uploadId: string,
    private readonly leaseId: string,
    private readonly sha1: IHasher,
    private offset: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.stopRenewal = keepLease(ledger, uploadId, leaseId);
  }

  update(bytes: Buffer): void {
    this.sha1.update(bytes);
    this.offset += bytes.length;
  }

  /**
   * The chunk is whole, verified and recorded: the state at its end is saved, the lease let go.
   * Never fails: a lost save is made up by the next catch-up or by complete.
   */
  async save(): Promise<void> {
    this.stopRenewal();
    const progress = progressOf(this.sha1, this.offset);
    await this.ledger
      .saveHash(this.uploadId, this.leaseId, progress, 'release')
      .catch(this.onError);
  }

  /** The chunk did not end whole: the bytes hashed are forgotten (a lease not let go lapses). */
  async drop(): Promise<void> {
    this.stopRenewal();
    await this.ledger.releaseHashLease(this.uploadId, this.leaseId).catch(this.onError);
  }
}

export class PrefixHasher {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ledger: HashLedger,
    private readonly staging: UploadStaging,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** A follower for bytes from `at` (a chunk boundary), when the hasher stands there and is free. */
  async follow(upload: StagedUpload, at: number): Promise<Follower | undefined> {
    const leaseId = newId();
    const progress = await this.ledger.takeHashLease(upload.id, leaseId, HASH_LEASE_MS, at);
    if (!progress) return undefined;
    try {
      const sha1 = await hasherAt(progress);
      return new Follower(this.ledger, upload.id, leaseId, sha1, at, this.onError);
    } catch (err) {
      await this.ledger.releaseHashLease(upload.id, leaseId);
      throw err;
    }
  }

  /** Catches up over the whole chunks after the prefix, in the background. */
  advance(upload: StagedUpload): void {
    const run = this.catchUp(upload)
      .catch(this.onError)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once no catch-up runs (before the database closes). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async catchUp(upload: StagedUpload): Promise<void> {
    // Looks again after each run: a gap may have closed while the lease was held.
    for (;;) {
      const offset = await this.ledger.hashOffset(upload.id);
      if (offset === undefined || offset >= upload.size) return;
      const whole = await this.ledger.wholeChunksFrom(upload.id, offset / upload.chunkSize);
      if (whole === 0) return;
      const leaseId = newId();
      const progress = await this.ledger.takeHashLease(upload.id, leaseId, HASH_LEASE_MS, offset);
      if (!progress) return; // its holder looks again when it is done
      const end = Math.min(upload.size, offset + whole * upload.chunkSize);
      const sha1 = await this.hashRange(upload, leaseId, progress, end);
      if (!sha1) return;
      await this.ledger.releaseHashLease(upload.id, leaseId);
    }
  }

  /**
   * Reads [progress.offset, end) back and hashes it, saving the state after each chunk; the
   * hasher at `end`, or undefined when the lease was lost meanwhile.
   */
  private async hashRange(
    upload: StagedUpload,
    leaseId: string,
    progress: HashProgress,
    end: number,
  ): Promise<IHasher | undefined> {
    const sha1 = await hasherAt(progress);
    for (let offset = progress.offset; offset < end;) {
      const next = Math.min(end, offset + upload.chunkSize);
      for await (const bytes of this.staging.read(upload.id, offset, next)) sha1.update(bytes);
      offset = next;
      const saved = await this.ledger.saveHash(
        upload.id,
        leaseId,
        progressOf(sha1, offset),
        HASH_LEASE_MS,
      );
      if (!saved) return undefined;
    }
    return sha1;
  }

  /**
   * The upload's SHA-1 (hex) once every chunk is whole: waits for the lease (a catch-up finishing,
   * or a dead holder's lease lapsing) and hashes only what the prefix has not covered yet.
   */
  async finish(upload: StagedUpload): Promise<string> {
    const deadline = Date.now() + 3 * HASH_LEASE_MS;
    for (;;) {
      const leaseId = newId();
      const progress = await this.ledger.takeHashLease(upload.id, leaseId, HASH_LEASE_MS);
      if (progress) {
        const stopRenewal = keepLease(this.ledger, upload.id, leaseId);
        try {
          const sha1 = await this.hashRange(upload, leaseId, progress, upload.size);
          if (sha1) return sha1.digest('hex');
        } finally {
          stopRenewal();
          await this.ledger.releaseHashLease(upload.id, leaseId);
        }
      }
      if (Date.now() >= deadline) throw new Error(`the SHA-1 of upload ${upload.id} stays leased`);
      await sleep(50);
    }
  }
}
