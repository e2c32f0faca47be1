// Reference counting of distinct contents across the 256 shards. The bytes of a content exist once;
// each user file is one reference. Every change happens under a row lock inside the caller's
// transaction, so two users uploading or deleting the same content at once stay consistent.
import type { Readable } from 'node:stream';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { OnRollback } from '../db/transactions.ts';
import type { ShardRouter } from '../db/shard-router.ts';
import type { LocalStore } from '../storage/local-store.ts';

/** Another upload created the same content first; retrying the transaction adds a reference. */
export class ContentRace extends Error {
  constructor(sha1: string) {
    super(`content ${sha1} was created concurrently`);
  }
}

export interface StoredContent {
  sha1: string;
  size: number;
  location: string;
}

export class Contents {
  constructor(
    private readonly shards: ShardRouter,
    private readonly store: LocalStore,
  ) {}

  async find(sha1: string, transaction?: Transaction): Promise<StoredContent | undefined> {
    const row = await this.shards.contentModel(sha1).findByPk(sha1, { transaction });
    return row ? { sha1, size: Number(row.size), location: row.location } : undefined;
  }

  /** The bytes of a content, or one range of them. */
  read(sha1: string, range?: { start: number; end: number }): Readable {
    return this.store.read(this.store.keyFor(sha1), range);
  }

  /** Adds one reference to content that exists; false when it does not (any more). */
  async addReference(sha1: string, transaction: Transaction): Promise<boolean> {
    const Content = this.shards.contentModel(sha1);
    const row = await Content.findByPk(sha1, { transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return false;
    await row.increment('refCount', { transaction });
    return true;
  }

  /**
   * Records a new content whose bytes wait in `tempPath`. Throws ContentRace when another upload
   * created it first (the caller retries, and then adds a reference). The bytes are moved into place
   * last, while this transaction holds the new row, so a concurrent delete cannot interleave.
   */
  async create(
    sha1: string,
    size: number,
    tempPath: string,
    transaction: Transaction,
  ): Promise<void> {
    const location = this.store.keyFor(sha1);
    try {
      await this.shards
        .contentModel(sha1)
        .create(
          { sha1, size, driver: this.store.driver, location, state: 'stored', refCount: 1 },
          { transaction },
        );
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new ContentRace(sha1);
      throw err;
    }
    await this.store.commit(tempPath, location);
  }

  /**
   * Drops one reference. At zero the row goes and the blob is moved to the trash inside the
   * transaction (put back if it rolls back); the returned step deletes it for good after commit.
   */
  async dropReference(
    sha1: string,
    transaction: Transaction,
    onRollback: OnRollback,
  ): Promise<() => Promise<void>> {
    const row = await this.shards
      .contentModel(sha1)
      .findByPk(sha1, { transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return async () => {};
    if (row.refCount > 1) {
      await row.decrement('refCount', { transaction });
      return async () => {};
    }
    await row.destroy({ transaction });
    const { location } = row;
    const trashPath = await this.store.trash(location);
    onRollback(() => this.store.restore(trashPath, location));
    return () => this.store.purge(trashPath);
  }
}
