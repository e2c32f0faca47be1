// The running SHA-1 of an upload: a hasher that follows the contiguous prefix of whole chunks. A
// PUT that starts where the hasher stands hashes its bytes as they stream (`follow`); so does the
// PUT of the next chunk when this process is streaming the one before it: its bytes queue (bounded;
// the body waits when the queue is full) until that PUT ends whole and hands the hasher over.
// Chunks that arrived ahead of the prefix are read back from the staging file as soon as the gap
// before them closes (`advance`); complete hashes only what is left (`finish`). The hasher's state
// (running-sha1.ts) and offset live with the upload in the database, behind a lease, so one
// process advances it at a time and another process sharing STAGING_DIR, or a restart, continues it.
import { setTimeout as sleep } from 'node:timers/promises';
import { keepRenewing } from '../db/lease.ts';
import { newId } from '../ids.ts';
import { runningSha1, type RunningSha1 } from './running-sha1.ts';
import type { UploadStaging } from './staging.ts';

/** How long a hash lease holds unrenewed: a holder that died is taken over within this. */
export const HASH_LEASE_MS = 6000;

/** Bytes a PUT queued behind its predecessor's may hold before its body waits. */
const QUEUE_LIMIT_BYTES = 2 * 1024 * 1024;

/** A queued PUT stops waiting (and its chunk is read back later) when the PUTs before it stall. */
const STALL_MS = 1000;

/** The running SHA-1 at a chunk boundary: bytes hashed from the start, and the saved state. */
export interface HashProgress {
  offset: number;
  /** base64 of the hasher's `save()`; null before the first byte. */
  state: string | null;
}

/** What a followed chunk's end writes beside the upload's expiry (uploads/repository.ts). */
export interface HashEnd {
  leaseId: string;
  /** The state at the chunk's end, when it ended whole. */
  progress?: HashProgress;
  /** The lease kept (renewed for this long) for the next chunk's PUT; let go when absent. */
  keepLease?: number;
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
  /** The same, when the caller read the progress at `at` already (it is the same at an offset). */
  takeHashLeaseAt(uploadId: string, leaseId: string, leaseMs: number, at: number): Promise<boolean>;
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

const hasherAt = (progress: HashProgress): Promise<RunningSha1> =>
  runningSha1(progress.state ? Buffer.from(progress.state, 'base64') : null);

const progressOf = (sha1: RunningSha1, offset: number): HashProgress => ({
  offset,
  state: Buffer.from(sha1.save()).toString('base64'),
});

/** Renews the hash lease while its holder works. */
const keepLease = (ledger: HashLedger, uploadId: string, leaseId: string) =>
  keepRenewing(() => ledger.renewHashLease(uploadId, leaseId, HASH_LEASE_MS), HASH_LEASE_MS);

/** The running SHA-1 this process holds under a lease, handed from one chunk's PUT to the next. */
interface Run {
  leaseId: string;
  sha1: RunningSha1;
  offset: number;
  stopRenewal: () => void;
}

/**
 * A PUT's bytes hashed as they stream: at once when it holds the hasher, or queued behind the PUT
 * of the chunk before it (in this process) until that one ends whole and hands the hasher over.
 */
export class Follower {
  private state: 'following' | 'ended' | 'abandoned' = 'following';
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes this PUT passed on: what a PUT queued behind it watches for progress. */
  private seen = 0;
  private next: Follower | undefined;
  private kept = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly hasher: PrefixHasher,
    readonly upload: StagedUpload,
    /** Where the chunk ends: the PUT of the chunk starting there may queue behind this one. */
    readonly endsAt: number,
    private run: Run | undefined,
    private predecessor: Follower | undefined,
  ) {}

  /** Queues `next` behind this PUT; false when this one no longer follows or has a successor. */
  attach(next: Follower): boolean {
    if (this.state !== 'following' || this.next) return false;
    this.next = next;
    return true;
  }

  /** Hashes `bytes`, or queues them; waits only while the queue is full. */
  async update(bytes: Buffer): Promise<void> {
    if (this.state !== 'following') return;
    this.seen += bytes.length;
    if (this.run) {
      this.run.sha1.update(bytes);
      this.run.offset += bytes.length;
      return;
    }
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queuedBytes >= QUEUE_LIMIT_BYTES) await this.awaitTurn();
  }

  /**
   * The chunk is recorded whole (or ended otherwise): what to write with the upload's row. A PUT
   * still queued waits for its turn first. Settle it once that write is done.
   */
  async finishChunk(whole: boolean): Promise<HashEnd | undefined> {
    if (whole) await this.awaitTurn();
    const run = this.run;
    if (this.state !== 'following' || !run) {
      this.abandon();
      return undefined;
    }
    this.state = 'ended';
    this.hasher.forget(this);
    if (!whole) {
      this.next?.abandon();
      run.stopRenewal();
      this.run = undefined; // the bytes hashed of a part of a chunk are forgotten
      return { leaseId: run.leaseId };
    }
    this.kept = this.next?.following ?? false;
    const progress = progressOf(run.sha1, run.offset);
    return { leaseId: run.leaseId, progress, ...(this.kept ? { keepLease: HASH_LEASE_MS } : {}) };
  }

  /**
   * After `finishChunk`'s write (`saved` when it succeeded): the next chunk's PUT takes the hasher over,
   * or the lease is let go and the hasher catches up over chunks that arrived ahead.
   */
  settle(saved: boolean): void {
    const run = this.run;
    if (this.state === 'following') {
      // Its PUT failed before `finishChunk` (the database): everything is let go.
      this.abandon();
      run?.stopRenewal();
      if (run) this.hasher.release(this.upload.id, run.leaseId);
      return;
    }
    if (this.state !== 'ended' || !run) return this.hasher.advance(this.upload);
    this.run = undefined;
    if (this.kept && saved && this.next?.takeOver(run)) return;
    this.next?.abandon();
    run.stopRenewal();
    if (this.kept || !saved) this.hasher.release(this.upload.id, run.leaseId);
    this.hasher.advance(this.upload, saved ? run.offset : undefined);
  }

  get following(): boolean {
    return this.state === 'following';
  }

  /** Bytes passed on by this PUT and the ones it queues behind (only grows while they stream). */
  private progress(): number {
    return this.seen + (this.predecessor?.progress() ?? 0);
  }

  private takeOver(run: Run): boolean {
    if (this.state !== 'following') return false;
    for (const bytes of this.queue) run.sha1.update(bytes);
    run.offset += this.queuedBytes;
    this.run = run;
    this.queue = [];
    this.queuedBytes = 0;
    this.predecessor = undefined;
    this.wake?.();
    return true;
  }

  private abandon(): void {
    if (this.state !== 'following') return;
    this.state = 'abandoned';
    this.queue = [];
    this.queuedBytes = 0;
    this.predecessor = undefined;
    this.hasher.forget(this);
    this.next?.abandon();
    this.wake?.();
  }

  private async awaitTurn(): Promise<void> {
    while (this.state === 'following' && !this.run && this.predecessor) {
      const before = this.predecessor.progress();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STALL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      const stalled = this.predecessor?.following && this.predecessor.progress() === before;
      if (!this.run && stalled) this.abandon();
    }
  }
}

export class PrefixHasher {
  private readonly running = new Set<Promise<void>>();
  /** This process's followers by where their chunk ends: the next chunk's PUT queues behind one. */
  private readonly followers = new Map<string, Follower>();

  constructor(
    private readonly ledger: HashLedger,
    private readonly staging: UploadStaging,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * A follower for the chunk [at, end): queued behind this process's PUT of the chunk ending at
   * `at`, or holding the hasher when it stands at `at` (`seen`: the progress the caller read) and
   * is free; undefined otherwise (the chunk is read back once the prefix reaches it).
   */
  async follow(
    upload: StagedUpload,
    at: number,
    end: number,
    seen: HashProgress,
  ): Promise<Follower | undefined> {
    const before = this.followers.get(`${upload.id}@${at}`);
    if (before) {
      const follower = new Follower(this, upload, end, undefined, before);
      if (before.attach(follower)) return this.register(follower);
    }
    if (seen.offset !== at) return undefined;
    const leaseId = newId();
    if (!(await this.ledger.takeHashLeaseAt(upload.id, leaseId, HASH_LEASE_MS, at)))
      return undefined;
    try {
      const sha1 = await hasherAt(seen);
      const stopRenewal = keepLease(this.ledger, upload.id, leaseId);
      const run = { leaseId, sha1, offset: at, stopRenewal };
      return this.register(new Follower(this, upload, end, run, undefined));
    } catch (err) {
      await this.ledger.releaseHashLease(upload.id, leaseId);
      throw err;
    }
  }

  private register(follower: Follower): Follower {
    this.followers.set(`${follower.upload.id}@${follower.endsAt}`, follower);
    return follower;
  }

  /** A follower that ended or gave up no longer takes PUTs queued behind it. */
  forget(follower: Follower): void {
    const key = `${follower.upload.id}@${follower.endsAt}`;
    if (this.followers.get(key) === follower) this.followers.delete(key);
  }

  /** Lets a lease go in the background (a lease not let go lapses). */
  release(uploadId: string, leaseId: string): void {
    this.ledger.releaseHashLease(uploadId, leaseId).catch(this.onError);
  }

  /**
   * Catches up over the whole chunks after the prefix, in the background; `offset`: where the
   * caller knows the hasher stands.
   */
  advance(upload: StagedUpload, offset?: number): void {
    const run = this.catchUp(upload, offset)
      .catch(this.onError)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once no catch-up runs (before the database closes). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async catchUp(upload: StagedUpload, known?: number): Promise<void> {
    // Looks again after each run: a gap may have closed while the lease was held.
    for (let first = true; ; first = false) {
      const offset = first && known !== undefined ? known : await this.ledger.hashOffset(upload.id);
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
  ): Promise<RunningSha1 | undefined> {
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
          if (sha1) return sha1.digestHex();
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
