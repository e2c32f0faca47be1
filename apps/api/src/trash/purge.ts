// "DELETE /api/trash/:id → 204: gone for good (references dropped; bytes freed when no one else
// holds the content)"; "DELETE /api/trash → 204: empty the trash"; and TRASH_TTL, purged by the
// housekeeping job. A purge first takes its item (one conditional UPDATE, a lease renewed while it
// works), so of many purges and restores at once exactly one wins; then it deletes the item's files
// a batch per transaction — each batch takes its bytes off the quota and, once committed, drops its
// content references — then its folders and the item. A purge cut off by a crash is taken over
// once its lease lapses (by the housekeeping job, or an empty trash).
import {
  Op,
  type ModelStatic,
  type Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { keepRenewing } from '../db/lease.ts';
import { inTransaction } from '../db/transactions.ts';
import type { UserFileRow } from '../files/models.ts';
import type { FileService } from '../files/service.ts';
import type { FileTrash } from '../files/trash.ts';
import type { FolderTrash } from '../folders/trash.ts';
import type { TrashItemAttributes, TrashItemRow } from './models.ts';

/** How long a purge holds its item without renewing. */
const LEASE_MS = 30_000;
/** Files per transaction. */
const BATCH = 200;
/** Items taken per query by an empty trash or the housekeeping job. */
const PAGE = 100;

/**
 * Runs in a purge's transaction with the files it deletes (e.g. their versions go too); the SHA-1s
 * whose references to drop once it has committed.
 */
export type PurgeHook = (files: UserFileRow[], transaction: Transaction) => Promise<string[]>;

export interface PurgeDeps {
  sequelize: Sequelize;
  TrashItem: ModelStatic<TrashItemRow>;
  files: FileTrash;
  folders: FolderTrash;
  /** Drops content references (files/service.ts). */
  references: Pick<FileService, 'dropReferences'>;
}

/** An item no purge holds: never taken, or its holder's lease lapsed. */
const free = (): WhereOptions<TrashItemAttributes> => ({
  [Op.or]: [{ purgingUntil: null }, { purgingUntil: { [Op.lt]: new Date() } }],
});

export class TrashPurge {
  private readonly hooks: PurgeHook[] = [];

  constructor(private readonly deps: PurgeDeps) {}

  /** Adds work to every purge (the versions module drops a purged file's versions). */
  onPurge(hook: PurgeHook): void {
    this.hooks.push(hook);
  }

  /** Purges one item of the user; false when there is no such item (or another purge holds it). */
  async purge(userId: string, id: string): Promise<boolean> {
    return this.purgeItem({ id, userId });
  }

  /** Purges every item of the user's trash. */
  async empty(userId: string): Promise<void> {
    await this.purgeAll({ userId });
  }

  /**
   * The housekeeping step: purges items deleted more than `ttlMs` ago, and finishes purges cut off
   * by a crash (their lease lapsed); how many.
   */
  async purgeExpired(ttlMs: number): Promise<number> {
    return this.purgeAll({
      [Op.or]: [
        { deletedAt: { [Op.lt]: new Date(Date.now() - ttlMs) } },
        { purgingUntil: { [Op.ne]: null } },
      ],
    });
  }

  private async purgeAll(scope: WhereOptions<TrashItemAttributes>): Promise<number> {
    let purged = 0;
    for (let full = true; full;) {
      const items = await this.deps.TrashItem.findAll({
        attributes: ['id'],
        where: { [Op.and]: [scope, free()] },
        order: [['deletedAt', 'ASC']],
        limit: PAGE,
      });
      // An item another purge took meanwhile is its to finish (and no longer selected here).
      for (const item of items) if (await this.purgeItem({ id: item.id })) purged++;
      full = items.length === PAGE;
    }
    return purged;
  }

  private async purgeItem(which: { id: string; userId?: string }): Promise<boolean> {
    const { TrashItem } = this.deps;
    const until = () => new Date(Date.now() + LEASE_MS);
    const [taken] = await TrashItem.update(
      { purgingUntil: until() },
      { where: { [Op.and]: [which, free()] } },
    );
    if (taken === 0) return false;
    const stop = keepRenewing(
      () => TrashItem.update({ purgingUntil: until() }, { where: { id: which.id } }),
      LEASE_MS,
    );
    try {
      while (await this.purgeBatch(which.id));
      await inTransaction(this.deps.sequelize, async (transaction) => {
        await this.deps.folders.purge(which.id, transaction);
        await TrashItem.destroy({ where: { id: which.id }, transaction });
      });
      return true;
    } finally {
      stop();
    }
  }

  /** Deletes one batch of the item's files; whether there may be more. */
  private async purgeBatch(trashId: string): Promise<boolean> {
    const { sequelize, files, references } = this.deps;
    const { count, sha1s } = await inTransaction(sequelize, async (transaction) => {
      const rows = await files.purgeSome(trashId, BATCH, transaction);
      const more: string[] = [];
      if (rows.length > 0)
        for (const hook of this.hooks) more.push(...(await hook(rows, transaction)));
      return { count: rows.length, sha1s: [...rows.map((row) => row.sha1), ...more] };
    });
    await references.dropReferences(sha1s);
    return count === BATCH;
  }
}
