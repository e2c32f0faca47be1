// A user's folder tree: create, list, breadcrumbs, rename, move. A folder's files belong to the
// files module; deleting a folder with its contents is in remove-folder.ts.
import type { Folder, FolderWithPath } from '@filestore/contract';
import { Op, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { namesIn, withFreeName } from '../files/names.ts';
import type { FolderRow } from './models.ts';

/** The root as stored: '' (see migration 005). */
export const ROOT = '';
export const folderKey = (id: string | null | undefined): string => id ?? ROOT;

// Deeper than any real tree; a guard against a corrupt parent chain looping for ever.
const MAX_DEPTH = 1000;

export const toFolderDto = (row: FolderRow): Folder => ({
  id: row.id,
  name: row.name,
  parentId: row.parentId === ROOT ? null : row.parentId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

type Lock = 'share' | 'update';

export class FolderService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly Folder: ModelStatic<FolderRow>,
  ) {}

  /** One of the user's folders; another user's id is 404 exactly like a missing one. */
  async get(userId: string, id: string, transaction?: Transaction, lock?: Lock) {
    const row = await this.Folder.findOne({
      where: { id, userId },
      transaction,
      lock:
        transaction && lock ? transaction.LOCK[lock === 'share' ? 'SHARE' : 'UPDATE'] : undefined,
    });
    if (!row) throw notFound('folder');
    return row;
  }

  /**
   * The stored key of a place to put something: the root (null or absent) or one of the user's
   * folders (else 404). Inside a transaction the folder stays locked, so it cannot be deleted
   * before what is put there is committed.
   */
  async target(userId: string, id: string | null | undefined, transaction?: Transaction) {
    if (!id) return ROOT;
    await this.get(userId, id, transaction, 'share');
    return id;
  }

  async create(userId: string, name: string, parentId?: string | null): Promise<FolderRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const parent = await this.target(userId, parentId, transaction);
      const taken = namesIn(this.Folder, { userId, parentId: parent }, transaction);
      return withFreeName(name, 'folder', taken, (free) =>
        this.Folder.create({ id: newId(), userId, parentId: parent, name: free }, { transaction }),
      );
    });
  }

  /** The children of a folder (or of the root), by name. */
  async children(userId: string, parentId?: string): Promise<FolderRow[]> {
    const parent = await this.target(userId, parentId);
    return this.Folder.findAll({ where: { userId, parentId: parent }, order: [['name', 'ASC']] });
  }

  /** The folder and its breadcrumbs, from the root's child down to the folder itself. */
  async withPath(userId: string, id: string): Promise<FolderWithPath> {
    const folder = await this.get(userId, id);
    const path = [folder];
    while (path[0]!.parentId !== ROOT && path.length < MAX_DEPTH) {
      path.unshift(await this.get(userId, path[0]!.parentId));
    }
    return { folder: toFolderDto(folder), path: path.map(toFolderDto) };
  }

  /** Rename and/or move; into itself or one of its descendants is 400 invalid_move. */
  async update(
    userId: string,
    id: string,
    changes: { name?: string; parentId?: string | null },
  ): Promise<FolderRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const folder = await this.get(userId, id, transaction, 'update');
      const parent = changes.parentId === undefined ? folder.parentId : folderKey(changes.parentId);
      await this.assertNotBelow(userId, id, parent, transaction);
      const name = changes.name ?? folder.name;
      if (name === folder.name && parent === folder.parentId) return folder;
      const taken = namesIn(this.Folder, { userId, parentId: parent }, transaction);
      return withFreeName(name, 'folder', taken, (free) =>
        folder.update({ name: free, parentId: parent }, { transaction }),
      );
    });
  }

  /** The folder and every folder below it, locked for the caller's transaction (404 if not ours). */
  async subtree(userId: string, id: string, transaction: Transaction): Promise<string[]> {
    await this.get(userId, id, transaction, 'update');
    const ids = [id];
    for (let level = [id]; level.length > 0 && ids.length < 1_000_000;) {
      const children = await this.Folder.findAll({
        attributes: ['id'],
        where: { userId, parentId: { [Op.in]: level } },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      level = children.map((child) => child.id);
      ids.push(...level);
    }
    return ids;
  }

  /** The names of the user's folders in these folders, for building an archive's tree. */
  async childrenOf(userId: string, parentIds: string[]): Promise<FolderRow[]> {
    return this.Folder.findAll({ where: { userId, parentId: { [Op.in]: parentIds } } });
  }

  async destroy(ids: string[], transaction: Transaction): Promise<void> {
    await this.Folder.destroy({ where: { id: { [Op.in]: ids } }, transaction });
  }

  /** Walks up from the new parent, locking each ancestor, so two crossing moves cannot make a loop. */
  private async assertNotBelow(
    userId: string,
    id: string,
    parent: string,
    transaction: Transaction,
  ): Promise<void> {
    for (let at = parent, depth = 0; at !== ROOT && depth < MAX_DEPTH; depth++) {
      if (at === id) {
        throw new HttpError(
          'invalid_move',
          'A folder cannot move into itself or a folder inside it',
        );
      }
      at = (await this.get(userId, at, transaction, 'update')).parentId;
    }
  }
}
