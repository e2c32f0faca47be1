// Distinct contents across the 256 shards: reference counting, where the bytes are, and the
// transfer outbox. The bytes of a content exist once; each user file is one reference. Reference
// changes happen under a row lock in a transaction of the database that holds the content's shard,
// so two users uploading or deleting the same content at once stay consistent. That database may
// not be the one of `user_files` (FILE_DB_URLS), so the callers order their steps: a reference is
// added before the user's entry is written and dropped after it is gone (files/service.ts). A
// failure in between leaves a count too high — bytes kept too long — never too low.
//
// Life of a content when an object store is configured (issue 4): created `staged` on local disk →
// the worker copies it and marks it `stored` in the object store → its last reference goes and it
// is `deleting` until the worker has deleted the object. Staged and deleting rows are the outbox:
// each is a job, published after commit and again by the relay if that publish was lost.
import type { Readable } from 'node:stream';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { inTransaction, type OnRollback } from '../db/transactions.ts';
import type { ContentRow, ContentState, ShardRouter } from '../db/shard-router.ts';
import type { RemoteDriver, TransferJob } from '../queue/transfer-job.ts';
import type { LocalStore } from '../storage/local-store.ts';
import type { RemoteStore } from '../storage/remote-store.ts';
import {
  ObjectNotFound,
  objectKeyFor,
  type ByteRange,
  type ObjectStore,
} from '../storage/object-store.ts';

/** The states whose rows are transfer jobs (the outbox). */
const PENDING = { [Op.in]: ['staged', 'deleting'] satisfies ContentState[] };

/** Another upload created the same content first; retrying the transaction adds a reference. */
class ContentRace extends Error {
  constructor(sha1: string) {
    super(`content ${sha1} was created concurrently`);
  }
}

export interface StoredContent {
  sha1: string;
  size: number;
}

export interface ContentStores {
  /** Where uploads land; with STORAGE=local also where the bytes stay. */
  local: LocalStore;
  /** The object store bytes are transferred to (STORAGE=oss|s3); undefined with STORAGE=local. */
  remote?: RemoteStore;
}

export class Contents {
  constructor(
    private readonly shards: ShardRouter,
    private readonly stores: ContentStores,
    /** Told (after commit) of every job a write creates; the relay publishes it. */
    private readonly onJob: (job: TransferJob) => void = () => undefined,
  ) {}

  /** Content that can be referenced (for instant upload and deduplication). */
  async find(sha1: string): Promise<StoredContent | undefined> {
    const row = await this.shards.contentModel(sha1).findByPk(sha1);
    return row && row.state !== 'deleting' ? { sha1, size: Number(row.size) } : undefined;
  }

  /** Adds one reference to content that exists; false when it does not (any more). */
  async addReference(sha1: string): Promise<boolean> {
    return this.inShard(sha1, (transaction) => this.increment(sha1, transaction));
  }

  /**
   * Adds one reference to the content whose bytes wait in `tempPath`, creating it when it is new
   * (the bytes are then moved into place); the caller removes `tempPath` afterwards either way.
   */
  async addUploaded(sha1: string, size: number, tempPath: string): Promise<void> {
    // Two first uploads of the same content race to create its row; the loser adds a reference.
    for (let tries = 1; ; tries++) {
      try {
        return await this.inShard(sha1, async (transaction) => {
          if (await this.increment(sha1, transaction)) return;
          await this.create(sha1, size, tempPath, transaction);
        });
      } catch (err) {
        if (!(err instanceof ContentRace) || tries >= 3) throw err;
      }
    }
  }

  /**
   * Drops one reference. At zero, local bytes are moved to the trash inside the transaction (put
   * back if it rolls back) and deleted for good after commit; bytes in an object store are deleted
   * by the worker (a `deleting` row is a job), so a store failure is retried rather than forgotten.
   */
  async dropReference(sha1: string): Promise<void> {
    const trashPath = await this.inShard(sha1, async (transaction, onRollback) => {
      const row = await this.shards
        .contentModel(sha1)
        .findByPk(sha1, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) return undefined;
      if (row.refCount > 1) {
        await row.decrement('refCount', { transaction });
        return undefined;
      }
      if (row.driver !== this.stores.local.driver) {
        await row.update({ state: 'deleting', refCount: 0, queuedAt: null }, { transaction });
        transaction.afterCommit(() => this.onJob(this.jobOf(row)));
        return undefined;
      }
      await row.destroy({ transaction });
      const { location } = row;
      const trashed = await this.stores.local.trash(location);
      onRollback(() => this.stores.local.restore(trashed, location));
      return trashed;
    });
    if (trashPath) await this.stores.local.purge(trashPath);
  }

  /**
   * The content's bytes (or one range), from wherever its row says they are. A staged file can be
   * removed by the worker between reading the row and opening it: then the row is read again.
   */
  async open(sha1: string, range?: ByteRange): Promise<Readable> {
    for (let attempt = 1; ; attempt++) {
      // The second look goes to the primary: a replica may not have seen the worker's move yet.
      const row = await this.shards.contentModel(sha1).findByPk(sha1, { useMaster: attempt > 1 });
      if (!row) throw new ObjectNotFound(sha1);
      try {
        return await this.storeOf(row).get(row.location, range);
      } catch (err) {
        if (!(err instanceof ObjectNotFound) || attempt >= 2) throw err;
      }
    }
  }

  /** A short-lived direct URL for content in an object store; undefined while it is local. */
  async signedUrl(sha1: string, downloadName: string): Promise<string | undefined> {
    const row = await this.shards.contentModel(sha1).findByPk(sha1);
    if (!row || row.state !== 'stored' || row.driver === this.stores.local.driver) return undefined;
    return this.storeOf(row).signedUrl(row.location, { expiresInSeconds: 300, downloadName });
  }

  // ——— for the transfer worker and the relay ———

  /** The row as it is now (any state), or undefined. */
  async current(sha1: string): Promise<ContentRow | undefined> {
    return (await this.shards.contentModel(sha1).findByPk(sha1)) ?? undefined;
  }

  /** Staged → stored in `driver` at `key`; false when the row is no longer staged (deleted). */
  async markStored(sha1: string, driver: RemoteDriver, key: string): Promise<boolean> {
    const [changed] = await this.shards
      .contentModel(sha1)
      .update(
        { state: 'stored', driver, location: key, queuedAt: null },
        { where: { sha1, state: 'staged' } },
      );
    return changed === 1;
  }

  /**
   * Deletes a `deleting` content's object and then its row, holding the row lock throughout so an
   * upload of the same content waits and then creates it afresh. False when it is not deleting.
   */
  async finishDeletion(sha1: string): Promise<boolean> {
    const Content = this.shards.contentModel(sha1);
    return this.inShard(sha1, async (transaction) => {
      const row = await Content.findByPk(sha1, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row || row.state !== 'deleting') return false;
      await this.storeOf(row).delete(row.location);
      await row.destroy({ transaction });
      return true;
    });
  }

  /** Records that the broker confirmed the job of this row in this state. */
  async markQueued(job: TransferJob): Promise<void> {
    const state: ContentState = job.action === 'delete' ? 'deleting' : 'staged';
    await this.shards
      .contentModel(job.sha1)
      .update({ queuedAt: new Date() }, { where: { sha1: job.sha1, state } });
  }

  /** Pending rows whose job the broker has not confirmed, `batch` rows per shard at a time. */
  async *pendingJobs(batch = 500): AsyncGenerator<TransferJob> {
    for (const Content of this.shards.allContentModels()) {
      for (let full = true; full;) {
        const rows = await Content.findAll({
          where: { state: PENDING, queuedAt: null },
          limit: batch,
        });
        for (const row of rows) yield this.jobOf(row);
        // Each yielded job was published and marked queued, so the next query moves on.
        full = rows.length === batch;
      }
    }
  }

  /** Marks every pending job unpublished: an in-process queue lost them with the last process. */
  async forgetQueued(): Promise<void> {
    for (const Content of this.shards.allContentModels())
      await Content.update(
        { queuedAt: null },
        { where: { state: PENDING, queuedAt: { [Op.ne]: null } } },
      );
  }

  private inShard<T>(
    sha1: string,
    work: (transaction: Transaction, onRollback: OnRollback) => Promise<T>,
  ): Promise<T> {
    return inTransaction(this.shards.sequelizeFor(sha1), work);
  }

  private async increment(sha1: string, transaction: Transaction): Promise<boolean> {
    const Content = this.shards.contentModel(sha1);
    const row = await Content.findByPk(sha1, { transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return false;
    if (row.state === 'deleting') {
      // Its object is still in the store (the worker deletes it under this same row lock): keep it.
      await row.update({ state: 'stored', refCount: 1, queuedAt: null }, { transaction });
      return true;
    }
    await row.increment('refCount', { transaction });
    return true;
  }

  /**
   * Records a new content whose bytes wait in `tempPath`. Throws ContentRace when another upload
   * created it first. The bytes are moved into place last, while this transaction holds the new
   * row, so a concurrent delete cannot interleave.
   */
  private async create(
    sha1: string,
    size: number,
    tempPath: string,
    transaction: Transaction,
  ): Promise<void> {
    const { local, remote } = this.stores;
    const location = objectKeyFor(sha1);
    const state: ContentState = remote ? 'staged' : 'stored';
    try {
      const row = await this.shards
        .contentModel(sha1)
        .create(
          { sha1, size, driver: local.driver, location, state, refCount: 1, queuedAt: null },
          { transaction },
        );
      if (remote) transaction.afterCommit(() => this.onJob(this.jobOf(row)));
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new ContentRace(sha1);
      throw err;
    }
    await local.commit(tempPath, location);
  }

  /** The job a pending row stands for: staged bytes go to the configured object store. */
  private jobOf(row: ContentRow): TransferJob {
    const { sha1 } = row;
    const size = Number(row.size);
    if (row.state === 'deleting') {
      const store = row.driver as RemoteDriver;
      return { action: 'delete', sha1, size, from: store, to: store };
    }
    const to = this.stores.remote?.driver;
    if (!to) throw new Error(`content ${sha1} is staged but no object store is configured`);
    return { action: 'transfer', sha1, size, from: 'local', to };
  }

  private storeOf(row: ContentRow): ObjectStore {
    if (row.driver === this.stores.local.driver) return this.stores.local;
    if (row.driver === this.stores.remote?.driver) return this.stores.remote;
    throw new Error(`content ${row.sha1} is in the ${row.driver} store, which is not configured`);
  }
}
