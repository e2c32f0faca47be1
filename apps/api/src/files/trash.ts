// The files' side of the trash (trash/ drives it): an entry in the trash is not alive (it leaves
// listings, search and its share links) but keeps its content reference and its bytes in the
// quota; it is tagged with its trash item's id, by which it comes back or is purged.
import { Op, type Transaction } from 'sequelize';
import type { AccountService } from '../auth/service.ts';
import { ROOT } from '../folders/service.ts';
import { notFound } from '../http/errors.ts';
import type { FileModels, UserFileRow } from './models.ts';
import { namesIn, withFreeName } from './names.ts';

// The ids of one IN (…) list.
const IN_LIST = 1000;

export class FileTrash {
  constructor(
    private readonly models: FileModels,
    private readonly accounts: AccountService,
  ) {}

  /** Moves one live file to the trash as its own item; 404 when it is not a live file of the user. */
  async trashOne(userId: string, id: string, transaction: Transaction): Promise<UserFileRow> {
    const row = await this.models.UserFile.findOne({
      where: { id, userId, alive: 1 },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!row) throw notFound();
    // silent: the file's modified time stays what it was.
    return row.update(
      { alive: null, trashId: id, deletedAt: new Date() },
      { transaction, silent: true },
    );
  }

  /** Moves the live files of these folders to the trash with item `trashId`; their bytes. */
  async trashInFolders(
    userId: string,
    folderIds: string[],
    trashId: string,
    transaction: Transaction,
  ): Promise<number> {
    const deletedAt = new Date();
    for (let at = 0; at < folderIds.length; at += IN_LIST) {
      await this.models.UserFile.update(
        { alive: null, trashId, deletedAt },
        {
          where: { userId, alive: 1, folderId: { [Op.in]: folderIds.slice(at, at + IN_LIST) } },
          transaction,
          silent: true,
        },
      );
    }
    const bytes = await this.models.UserFile.sum('size', { where: { trashId }, transaction });
    return Number(bytes ?? 0);
  }

  /**
   * Brings a file that is its own trash item back into its folder, or into the root when
   * `canReturn` says that folder is gone or in the trash, under a free name; 404 when the user has
   * no such item.
   */
  async restoreOne(
    userId: string,
    id: string,
    canReturn: (folderId: string) => Promise<boolean>,
    transaction: Transaction,
  ): Promise<UserFileRow> {
    const row = await this.models.UserFile.findOne({
      where: { id, userId, trashId: id },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!row) throw notFound();
    const folderId = (await canReturn(row.folderId)) ? row.folderId : ROOT;
    const taken = namesIn(this.models.UserFile, { userId, folderId, alive: 1 }, transaction);
    return withFreeName(row.name, 'file', taken, (name) =>
      row.update(
        { name, folderId, alive: 1, trashId: null, deletedAt: null },
        { transaction, silent: true },
      ),
    );
  }

  /** Brings back, where they were, the files that went to the trash inside folder item `trashId`. */
  async restoreInFolders(userId: string, trashId: string, transaction: Transaction): Promise<void> {
    await this.models.UserFile.update(
      { alive: 1, trashId: null, deletedAt: null },
      { where: { userId, trashId }, transaction, silent: true },
    );
  }

  /**
   * Deletes up to `limit` files of trash item `trashId` for good and takes their bytes off the
   * quota, in the caller's transaction; the caller drops their content references after commit
   * (a crash in between leaves a count too high, never too low).
   */
  async purgeSome(
    trashId: string,
    limit: number,
    transaction: Transaction,
  ): Promise<UserFileRow[]> {
    const rows = await this.models.UserFile.findAll({
      where: { trashId },
      limit,
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (rows.length === 0) return rows;
    await this.models.UserFile.destroy({
      where: { seq: { [Op.in]: rows.map((row) => row.seq) } },
      transaction,
    });
    const freed = new Map<string, number>();
    for (const row of rows) freed.set(row.userId, (freed.get(row.userId) ?? 0) + Number(row.size));
    for (const [userId, bytes] of freed)
      await this.accounts.addUsedBytes(userId, -bytes, transaction);
    return rows;
  }
}
