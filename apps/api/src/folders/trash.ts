// The folders' side of the trash (trash/ drives it): a folder goes to the trash with every live
// folder below it, tagged with the trash item's id; it comes back, or is purged, by that tag.
import { MAX_FOLDER_DEPTH } from '@filestore/contract';
import { Op, type ModelStatic, type Transaction } from 'sequelize';
import { namesIn, withFreeName } from '../files/names.ts';
import { notFound } from '../http/errors.ts';
import type { FolderRow } from './models.ts';
import { ROOT, type FolderService } from './service.ts';

// The ids of one IN (…) list.
const IN_LIST = 1000;

export class FolderTrash {
  constructor(
    private readonly Folder: ModelStatic<FolderRow>,
    private readonly folders: FolderService,
  ) {}

  /**
   * Moves a live folder and every live folder below it to the trash as item `trashId`, in the
   * caller's transaction; the folder and the ids of the whole tree (the folder first). The folder is
   * locked first, then each level: a create or a move into the tree waits, then finds it gone.
   */
  async trashTree(
    userId: string,
    id: string,
    trashId: string,
    transaction: Transaction,
  ): Promise<{ folder: FolderRow; treeIds: string[] }> {
    const folder = await this.folders.get(userId, id, transaction, 'update');
    const treeIds = [id];
    for await (const level of this.folders.levelsBelow(userId, [id], transaction))
      treeIds.push(...level.map((child) => child.id));
    for (let at = 0; at < treeIds.length; at += IN_LIST) {
      await this.Folder.update(
        { alive: null, trashId },
        {
          where: { userId, alive: 1, id: { [Op.in]: treeIds.slice(at, at + IN_LIST) } },
          transaction,
          silent: true,
        },
      );
    }
    return { folder, treeIds };
  }

  /**
   * Brings trash item `trashId`'s folders back: the top one into its parent when that is alive
   * and the tree still fits below it, else into the root, under a free name; the rest where they
   * were. 404 when the item holds no folder of the user.
   */
  async restoreTree(userId: string, trashId: string, transaction: Transaction): Promise<FolderRow> {
    const top = await this.Folder.findOne({
      where: { id: trashId, userId, trashId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!top) throw notFound('folder');
    let height = 1;
    for await (const _level of this.folders.levelsBelow(userId, [top.id], transaction, { trashId }))
      if (++height > MAX_FOLDER_DEPTH) break;
    const fits = await this.folders.hasRoomFor(userId, top.parentId, height, transaction);
    const parentId = fits ? top.parentId : ROOT;
    await this.Folder.update(
      { alive: 1, trashId: null },
      { where: { userId, trashId, id: { [Op.ne]: top.id } }, transaction, silent: true },
    );
    const taken = namesIn(this.Folder, { userId, parentId, alive: 1 }, transaction);
    return withFreeName(top.name, 'folder', taken, (name) =>
      top.update({ name, parentId, alive: 1, trashId: null }, { transaction, silent: true }),
    );
  }

  /** Deletes trash item `trashId`'s folders for good (their files are purged first). */
  async purge(trashId: string, transaction: Transaction): Promise<void> {
    await this.Folder.destroy({ where: { trashId }, transaction });
  }

  /**
   * Where a folder is, as "/A/B" ("/" for the root), through folders alive or trashed; a folder
   * purged meanwhile ends the walk.
   */
  async pathOf(userId: string, folderId: string, transaction?: Transaction): Promise<string> {
    const names: string[] = [];
    for (let at = folderId; at !== ROOT && names.length < MAX_FOLDER_DEPTH;) {
      const folder = await this.Folder.findOne({ where: { id: at, userId }, transaction });
      if (!folder) break;
      names.unshift(folder.name);
      at = folder.parentId;
    }
    return `/${names.join('/')}`;
  }
}
