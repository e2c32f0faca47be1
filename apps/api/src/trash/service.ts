// The trash: "DELETE /api/files/:id, DELETE /api/folders/:id → 204; the item (a folder with
// everything inside) moves to the trash; it leaves listings and search; its share links answer 410
// while it is there" (issue 13). An item is one trash_items row; its files and folders stay in
// their tables, not alive, tagged with the item's id (files/trash.ts, folders/trash.ts). Trashed
// files keep their content references and count toward the quota until purged (purge.ts).
import type { FileItem, Folder, TrashItem } from '@filestore/contract';
import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { toFileDto } from '../files/service.ts';
import type { FileTrash } from '../files/trash.ts';
import { toFolderDto, type FolderService } from '../folders/service.ts';
import type { FolderTrash } from '../folders/trash.ts';
import { notFound } from '../http/errors.ts';
import { decodeTrashCursor, encodeTrashCursor } from './cursor.ts';
import type { TrashItemRow } from './models.ts';

export interface TrashDeps {
  sequelize: Sequelize;
  TrashItem: ModelStatic<TrashItemRow>;
  files: FileTrash;
  folders: FolderTrash;
  folderService: FolderService;
}

export type Restored = { file: FileItem } | { folder: Folder };

const toTrashDto = (row: TrashItemRow): TrashItem => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  size: Number(row.size),
  deletedAt: row.deletedAt.toISOString(),
  originalPath: row.originalPath,
});

/** Items a purge has not taken: a purge, once started, is not undone. */
const notPurging = { purgingUntil: null };

export class TrashService {
  constructor(private readonly deps: TrashDeps) {}

  /** DELETE /api/files/:id: 404 when it is not a live file of the user. */
  async trashFile(userId: string, id: string): Promise<void> {
    const { sequelize, files, folders, TrashItem } = this.deps;
    await inTransaction(sequelize, async (transaction) => {
      const file = await files.trashOne(userId, id, transaction);
      await TrashItem.create(
        {
          id,
          userId,
          kind: 'file',
          name: file.name,
          size: Number(file.size),
          originalPath: await folders.pathOf(userId, file.folderId, transaction),
          deletedAt: file.deletedAt!,
          purgingUntil: null,
        },
        { transaction },
      );
    });
  }

  /** DELETE /api/folders/:id: the folder with every folder and file below it, as one item. */
  async trashFolder(userId: string, id: string): Promise<void> {
    const { sequelize, files, folders, TrashItem } = this.deps;
    await inTransaction(sequelize, async (transaction) => {
      const { folder, treeIds } = await folders.trashTree(userId, id, id, transaction);
      const size = await files.trashInFolders(userId, treeIds, id, transaction);
      await TrashItem.create(
        {
          id,
          userId,
          kind: 'folder',
          name: folder.name,
          size,
          originalPath: await folders.pathOf(userId, folder.parentId, transaction),
          deletedAt: new Date(),
          purgingUntil: null,
        },
        { transaction },
      );
    });
  }

  /** GET /api/trash: the user's items, newest deletion first, by keyset pagination. */
  async list(
    userId: string,
    { limit, cursor }: { limit: number; cursor?: string },
  ): Promise<{ items: TrashItem[]; nextCursor: string | null }> {
    const after = cursor ? decodeTrashCursor(cursor) : undefined;
    const rows = await this.deps.TrashItem.findAll({
      where: {
        userId,
        ...notPurging,
        ...(after && {
          [Op.or]: [
            { deletedAt: { [Op.lt]: after.deletedAt } },
            { deletedAt: after.deletedAt, id: { [Op.lt]: after.id } },
          ],
        }),
      },
      order: [
        ['deletedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page.at(-1) : undefined;
    return { items: page.map(toTrashDto), nextCursor: last ? encodeTrashCursor(last) : null };
  }

  /**
   * POST /api/trash/:id/restore: "back where it was (its original folder; the root if that folder
   * is gone or trashed), a name taken meanwhile gets ' (1)'; its share links work again".
   */
  async restore(userId: string, id: string): Promise<Restored> {
    const { sequelize, TrashItem, files, folders, folderService } = this.deps;
    return inTransaction(sequelize, async (transaction) => {
      const item = await TrashItem.findOne({
        where: { id, userId, ...notPurging },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!item) throw notFound('trash item');
      await item.destroy({ transaction });
      if (item.kind === 'folder') {
        const folder = await folders.restoreTree(userId, id, transaction);
        await files.restoreInFolders(userId, id, transaction);
        return { folder: toFolderDto(folder) };
      }
      const canReturn = (folderId: string) =>
        folderService.hasRoomFor(userId, folderId, 0, transaction);
      const file = await files.restoreOne(userId, id, canReturn, transaction);
      return { file: toFileDto(file) };
    });
  }
}
