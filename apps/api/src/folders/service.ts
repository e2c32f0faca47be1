// A user's folder tree: create, list, breadcrumbs, rename, move. A folder's files belong to the
// files module; a folder in the trash (trash.ts) is not alive: every lookup here skips it.
import { MAX_FOLDER_DEPTH, type Folder, type FolderWithPath } from '@filestore/contract';
import {
  Op,
  UniqueConstraintError,
  type ModelStatic,
  type Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { nameTaken, namesIn, withFreeName } from '../files/names.ts';
import type { FolderAttributes, FolderRow } from './models.ts';

/** The root as stored: '' (see migration 005). */
export const ROOT = '';
export const folderKey = (id: string | null | undefined): string => id ?? ROOT;

// The ids of one IN (…) list when walking a level of the tree.
const IN_LIST = 1000;

// No folder is deeper than MAX_FOLDER_DEPTH (256), on create or move. Every walk up a parent chain
// is bounded by it, which also ends the walk in a loop that corrupt data might hold. 256 levels of
// short names already make paths longer than most desktops can extract from a zip.
const tooDeep = () =>
  new HttpError('too_deep', `Folders can be nested at most ${MAX_FOLDER_DEPTH} levels deep`);

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

  /**
   * One of the user's live folders; another user's id (or a folder in the trash) is 404 exactly
   * like a missing one.
   */
  async get(userId: string, id: string, transaction?: Transaction, lock?: Lock) {
    const row = await this.Folder.findOne({
      where: { id, userId, alive: 1 },
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

  /** 400 too_deep when the parent is already at MAX_FOLDER_DEPTH. */
  async create(userId: string, name: string, parentId?: string | null): Promise<FolderRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const parent = await this.target(userId, parentId, transaction);
      // Shared locks up the chain: a move of any ancestor waits, so the depth stays exact.
      if ((await this.chainUp(userId, parent, transaction, 'share')).length >= MAX_FOLDER_DEPTH)
        throw tooDeep();
      const taken = namesIn(this.Folder, { userId, parentId: parent, alive: 1 }, transaction);
      return withFreeName(name, 'folder', taken, (free) =>
        this.Folder.create(
          { id: newId(), userId, parentId: parent, name: free, alive: 1, trashId: null },
          { transaction },
        ),
      );
    });
  }

  /** The children of a folder (or of the root), by name. */
  async children(userId: string, parentId?: string): Promise<FolderRow[]> {
    const parent = await this.target(userId, parentId);
    return this.Folder.findAll({
      where: { userId, parentId: parent, alive: 1 },
      order: [['name', 'ASC']],
    });
  }

  /**
   * The folder and its breadcrumbs, from the root's child down to the folder itself (at most
   * MAX_FOLDER_DEPTH of them, for a tree made deeper before the limit).
   */
  async withPath(userId: string, id: string): Promise<FolderWithPath> {
    const folder = await this.get(userId, id);
    const path = [folder];
    while (path[0]!.parentId !== ROOT && path.length < MAX_FOLDER_DEPTH) {
      path.unshift(await this.get(userId, path[0]!.parentId));
    }
    return { folder: toFolderDto(folder), path: path.map(toFolderDto) };
  }

  /**
   * Rename and/or move; into itself or one of its descendants is 400 invalid_move, a move that
   * would nest anything deeper than MAX_FOLDER_DEPTH 400 too_deep. A name asked for that is taken
   * there is 409 name_taken; a move alone gives a name taken there ` (1)`… and keeps updatedAt.
   */
  async update(
    userId: string,
    id: string,
    changes: { name?: string; parentId?: string | null },
  ): Promise<FolderRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const folder = await this.get(userId, id, transaction, 'update');
      const parent = changes.parentId === undefined ? folder.parentId : folderKey(changes.parentId);
      if (parent !== folder.parentId) await this.assertMovable(userId, id, parent, transaction);
      const name = changes.name ?? folder.name;
      if (name === folder.name && parent === folder.parentId) return folder;
      const silent = name === folder.name;
      if (changes.name === undefined) {
        const taken = namesIn(this.Folder, { userId, parentId: parent, alive: 1 }, transaction);
        return withFreeName(name, 'folder', taken, (free) =>
          folder.update({ name: free, parentId: parent }, { transaction, silent }),
        );
      }
      try {
        return await folder.update({ name, parentId: parent }, { transaction, silent });
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) throw err;
        const holder = await this.Folder.findOne({
          where: { userId, parentId: parent, name, alive: 1 },
          transaction,
        });
        throw holder ? nameTaken({ folderId: holder.id }) : err;
      }
    });
  }

  /**
   * The live folders below `parentIds` (or, with `scope`, those it selects), level by level, each
   * folder once: also in a loop that corrupt data might hold, the walk ends. Each level is read in
   * slices of IN_LIST ids.
   */
  async *levelsBelow(
    userId: string,
    parentIds: string[],
    transaction?: Transaction,
    scope: WhereOptions<FolderAttributes> = { alive: 1 },
  ): AsyncGenerator<FolderRow[]> {
    const seen = new Set(parentIds);
    for (let level = parentIds; level.length > 0;) {
      const children: FolderRow[] = [];
      for (let at = 0; at < level.length; at += IN_LIST) {
        const slice = level.slice(at, at + IN_LIST);
        const rows = await this.Folder.findAll({
          where: { userId, ...scope, parentId: { [Op.in]: slice } },
          transaction,
        });
        for (const child of rows) {
          if (!seen.has(child.id)) children.push(child);
          seen.add(child.id);
        }
      }
      if (children.length > 0) yield children;
      level = children.map((child) => child.id);
    }
  }

  /**
   * Whether a tree `height` levels tall (1: a folder alone) fits in `parent`: the root, or a live
   * folder of the user with room below it within MAX_FOLDER_DEPTH (its chain stays share-locked).
   */
  async hasRoomFor(
    userId: string,
    parent: string,
    height: number,
    transaction: Transaction,
  ): Promise<boolean> {
    try {
      const chain = await this.chainUp(userId, parent, transaction, 'share');
      return chain.length + height <= MAX_FOLDER_DEPTH;
    } catch (err) {
      if (err instanceof HttpError) return false; // gone, in the trash, or too deep
      throw err;
    }
  }

  /**
   * "Into itself or one of its descendants is 400 invalid_move": walks up from the new parent,
   * locking each ancestor, so two crossing moves cannot make a loop; and the moved tree must fit
   * below it within MAX_FOLDER_DEPTH (a chain too long to walk is refused as too deep).
   */
  private async assertMovable(
    userId: string,
    id: string,
    parent: string,
    transaction: Transaction,
  ): Promise<void> {
    const chain = await this.chainUp(userId, parent, transaction, 'update');
    if (chain.includes(id)) {
      throw new HttpError('invalid_move', 'A folder cannot move into itself or a folder inside it');
    }
    // The moved folder's levels, read in the transaction: a create below it waits for its lock.
    let deepest = chain.length + 1;
    if (deepest > MAX_FOLDER_DEPTH) throw tooDeep();
    for await (const _level of this.levelsBelow(userId, [id], transaction)) {
      if (++deepest > MAX_FOLDER_DEPTH) throw tooDeep();
    }
  }

  /**
   * The folders from `id` up to the root's child, each locked for the transaction ([] for the
   * root); 404 when one is not the user's; 400 too_deep past MAX_FOLDER_DEPTH.
   */
  private async chainUp(
    userId: string,
    id: string,
    transaction: Transaction,
    lock: Lock,
  ): Promise<string[]> {
    const chain: string[] = [];
    for (let at = id; at !== ROOT; at = (await this.get(userId, at, transaction, lock)).parentId) {
      if (chain.length === MAX_FOLDER_DEPTH) throw tooDeep();
      chain.push(at);
    }
    return chain;
  }
}
