// A user's files: list, look up, rename, move, and add (from an upload or from known content).
// A delete moves a file to the trash (trash.ts, trash/).
import { rm } from 'node:fs/promises';
import type { FileItem, FileSort, OnConflict, SortOrder } from '@filestore/contract';
import {
  IndexHints,
  Op,
  UniqueConstraintError,
  type Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import type { AccountService } from '../auth/service.ts';
import { inTransaction } from '../db/transactions.ts';
import { ROOT, type FolderService } from '../folders/service.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { Contents, StoredContent } from '../content/contents.ts';
import type { FileVersions } from '../versions/service.ts';
import { decodeCursor, encodeCursor, type Listing } from './cursor.ts';
import type { Downloadable } from './download.ts';
import type { FileModels, UserFileAttributes, UserFileRow } from './models.ts';
import { nameTaken, namesIn, withFreeName } from './names.ts';

export const toFileDto = (row: UserFileRow): FileItem => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  sha1: row.sha1,
  folderId: row.folderId === ROOT ? null : row.folderId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

// LIKE with '!' as its escape character: the same on MySQL and SQLite.
const likeContaining = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;

// "date" is the order of arrival: the insertion sequence, which is also every sort's tie-breaker.
const SORT_COLUMNS = { date: 'seq', name: 'name', size: 'size' } as const;

// The index that serves each listing in order (migrations 002 and 005). A search sorted by name or
// size reads every match of the user anyway, so there the planner chooses.
const FOLDER_INDEXES = {
  date: 'user_files_folder_listing',
  name: 'user_files_live_name',
  size: 'user_files_by_size',
} as const;
const SEARCH_INDEXES: Partial<Record<FileSort, string>> = { date: 'user_files_listing' };

export interface NewFile {
  userId: string;
  name: string;
  sha1: string;
  size: number;
  /** null or absent: the root. */
  folderId?: string | null;
  /** When the name is taken in the folder; absent: keep both (" (1)"). */
  onConflict?: OnConflict;
}

/** An entry written in a transaction, and the contents to drop once it has committed. */
interface Placed {
  row: UserFileRow;
  released: string[];
}

/** Work that commits with a new entry or not at all (an upload's completed mark); throws to undo. */
export type AlongsideEntry = (row: UserFileRow, transaction: Transaction) => Promise<void>;

export interface ListOptions {
  q?: string;
  folderId?: string;
  sort: FileSort;
  order?: SortOrder;
  limit: number;
  cursor?: string;
}

export class FileService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: FileModels,
    readonly contents: Contents,
    private readonly accounts: AccountService,
    private readonly folders: FolderService,
    private readonly versions: FileVersions,
  ) {}

  /**
   * One folder's files (or, with `q`, the matches in every folder), sorted, by keyset pagination
   * (no OFFSET scans). Default order: newest first, largest first, or by name A→Z.
   */
  async list(
    userId: string,
    options: ListOptions,
  ): Promise<{ items: FileItem[]; nextCursor: string | null }> {
    const listing: Listing = {
      sort: options.sort,
      order: options.order ?? (options.sort === 'name' ? 'asc' : 'desc'),
    };
    const column = SORT_COLUMNS[listing.sort];
    const conditions: WhereOptions<UserFileAttributes>[] = [{ userId, alive: 1 }];
    if (options.q) {
      const pattern = this.sequelize.escape(likeContaining(options.q));
      conditions.push(this.sequelize.literal(`LOWER(name) LIKE ${pattern} ESCAPE '!'`));
    } else {
      conditions.push({ folderId: await this.folders.target(userId, options.folderId) });
    }
    if (options.cursor) {
      const { key, seq } = decodeCursor(options.cursor, listing);
      const beyond = listing.order === 'asc' ? Op.gt : Op.lt;
      conditions.push(
        column === 'seq'
          ? { seq: { [beyond]: seq } }
          : {
              [Op.or]: [{ [column]: { [beyond]: key } }, { [column]: key, seq: { [beyond]: seq } }],
            },
      );
    }
    const direction = listing.order === 'asc' ? 'ASC' : 'DESC';
    // MariaDB may read a deep page through (user_id, alive) alone, from the first entry down to the
    // cursor (1 s at 200,000 entries; bench/metadata): the hint makes it seek in the right index.
    const index = options.q ? SEARCH_INDEXES[listing.sort] : FOLDER_INDEXES[listing.sort];
    const rows = await this.models.UserFile.findAll({
      where: { [Op.and]: conditions },
      order:
        column === 'seq'
          ? [['seq', direction]]
          : [
              [column, direction],
              ['seq', direction],
            ],
      limit: options.limit + 1,
      indexHints: index ? [{ type: IndexHints.FORCE, values: [index] }] : undefined,
    });
    const page = rows.slice(0, options.limit);
    const last = rows.length > options.limit ? page.at(-1) : undefined;
    const key = (row: UserFileRow) => (column === 'name' ? row.name : Number(row[column]));
    return {
      items: page.map(toFileDto),
      nextCursor: last ? encodeCursor(listing, { key: key(last), seq: Number(last.seq) }) : null,
    };
  }

  /** A live file of this user; another user's id is 404 exactly like a missing one. */
  async get(userId: string, id: string, transaction?: Transaction): Promise<UserFileRow> {
    const row = await this.models.UserFile.findOne({
      where: { id, userId, alive: 1 },
      transaction,
      lock: transaction ? transaction.LOCK.UPDATE : undefined,
    });
    if (!row) throw notFound();
    return row;
  }

  /** What sendFile needs to stream a file: files, shares and archives all read bytes through here. */
  downloadable(row: Pick<UserFileRow, 'name' | 'size' | 'sha1'>): Downloadable {
    return {
      name: row.name,
      size: Number(row.size),
      sha1: row.sha1,
      open: (range) => this.contents.open(row.sha1, range),
    };
  }

  /** A live file by id whoever owns it (a share's file); undefined once deleted. */
  async findLive(id: string): Promise<UserFileRow | undefined> {
    return (await this.models.UserFile.findOne({ where: { id, alive: 1 } })) ?? undefined;
  }

  /** The live files among `ids`, whoever owns them (the files of a user's shares). */
  async findLiveMany(ids: string[]): Promise<UserFileRow[]> {
    if (ids.length === 0) return [];
    return this.models.UserFile.findAll({ where: { id: { [Op.in]: ids }, alive: 1 } });
  }

  /** The user's live files in these folders ('' = the root). */
  async inFolders(userId: string, folderIds: string[]): Promise<UserFileRow[]> {
    return this.models.UserFile.findAll({
      where: { userId, alive: 1, folderId: { [Op.in]: folderIds } },
      order: [['name', 'ASC']],
    });
  }

  /**
   * Rename and/or move (`folderId: null` is the root). A name asked for that is taken there is 409
   * name_taken ("Rename to a taken name says so instead of renaming silently"); a move alone gives
   * a name taken there ` (1)`… and keeps the file's modified time.
   */
  async update(
    userId: string,
    id: string,
    changes: { name?: string; folderId?: string | null },
  ): Promise<UserFileRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const row = await this.get(userId, id, transaction);
      const folderId =
        changes.folderId === undefined
          ? row.folderId
          : await this.folders.target(userId, changes.folderId, transaction);
      const name = changes.name ?? row.name;
      if (name === row.name && folderId === row.folderId) return row;
      const silent = name === row.name;
      if (changes.name === undefined) {
        const taken = namesIn(this.models.UserFile, { userId, folderId, alive: 1 }, transaction);
        return withFreeName(name, 'file', taken, (free) =>
          row.update({ name: free, folderId }, { transaction, silent }),
        );
      }
      try {
        return await row.update({ name, folderId }, { transaction, silent });
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) throw err;
        const holder = await this.named(userId, folderId, name, transaction);
        throw holder ? nameTaken({ fileId: holder.id }) : err;
      }
    });
  }

  /** 409 name_taken when the user has a file of this name in this folder (an early answer). */
  async assertNameFree(userId: string, folderId: string, name: string): Promise<void> {
    const holder = await this.named(userId, folderId, name);
    if (holder) throw nameTaken({ fileId: holder.id });
  }

  /**
   * Gives a file (its row locked in `transaction`) other content that already holds a reference
   * for it; its current content becomes a version. `chargedBytes`: what the new content adds to
   * the quota (its size; 0 for a version, already counted). The same content again makes no
   * version: the file is only touched and the extra reference goes. The caller drops the returned
   * contents' references once it has committed.
   */
  async replaceContent(
    row: UserFileRow,
    content: StoredContent,
    chargedBytes: number,
    transaction: Transaction,
  ): Promise<Placed> {
    if (content.sha1 === row.sha1) {
      await this.accounts.addUsedBytes(row.userId, chargedBytes - content.size, transaction);
      row.changed('updatedAt', true);
      return { row: await row.save({ transaction }), released: [content.sha1] };
    }
    const released = await this.versions.keep(row, transaction);
    await this.accounts.addUsedBytes(row.userId, chargedBytes, transaction);
    await row.update({ sha1: content.sha1, size: content.size }, { transaction });
    return { row, released };
  }

  /**
   * One reference less for each content, once the entries are gone: a failure here leaves a count
   * too high (bytes kept too long), never too low.
   */
  async dropReferences(sha1s: string[]): Promise<void> {
    for (const sha1 of sha1s) await this.contents.dropReference(sha1);
  }

  /**
   * Adds a file whose bytes were just received into `tempPath` (removed afterwards). Content that
   * already exists is deduplicated: the existing bytes get one more reference. `alongside` runs in
   * the entry's transaction.
   */
  async addUploaded(
    file: NewFile,
    tempPath: string,
    alongside?: AlongsideEntry,
  ): Promise<UserFileRow> {
    try {
      await this.accounts.assertRoom(file.userId, file.size);
      await this.contents.addUploaded(file.sha1, file.size, tempPath);
    } finally {
      await rm(tempPath, { force: true });
    }
    return this.addEntry(file, alongside);
  }

  /** Adds a file for content that already exists (instant upload, save from a share). */
  async addExisting(file: NewFile): Promise<UserFileRow> {
    await this.accounts.assertRoom(file.userId, file.size);
    if (!(await this.contents.addReference(file.sha1))) throw notFound('content');
    return this.addEntry(file);
  }

  /**
   * The user's entry for content that already holds a reference for it, given back on failure.
   * The quota is charged here, in the entry's transaction (the checks before are early answers).
   */
  private async addEntry(file: NewFile, alongside?: AlongsideEntry): Promise<UserFileRow> {
    let placed: Placed;
    try {
      placed = await inTransaction(this.sequelize, async (transaction) => {
        const folderId = await this.folders.target(file.userId, file.folderId, transaction);
        const done = await this.place({ ...file, folderId }, transaction);
        await alongside?.(done.row, transaction);
        return done;
      });
    } catch (err) {
      // If this fails too, the count stays one too high: the bytes are kept, nothing is lost.
      await this.contents.dropReference(file.sha1).catch(() => undefined);
      throw err;
    }
    await this.dropReferences(placed.released);
    return placed.row;
  }

  /**
   * Puts new content under its name in its (checked and locked) folder. A name taken there: keep
   * both (` (1)`…), replace the file's content, or 409 name_taken, as `onConflict` says.
   */
  private async place(
    file: NewFile & { folderId: string },
    transaction: Transaction,
  ): Promise<Placed> {
    const { onConflict = 'keep', ...entry } = file;
    const { userId, folderId, name } = entry;
    const create = async (free: string) => {
      const row = await this.models.UserFile.create(
        { id: newId(), ...entry, name: free, alive: 1, deletedAt: null },
        { transaction },
      );
      await this.accounts.addUsedBytes(userId, file.size, transaction);
      return { row, released: [] };
    };
    if (onConflict === 'keep') {
      const taken = namesIn(this.models.UserFile, { userId, folderId, alive: 1 }, transaction);
      return withFreeName(name, 'file', taken, create);
    }
    for (let tries = 1; ; tries++) {
      const holder = await this.named(userId, folderId, name, transaction);
      if (holder && onConflict === 'fail') throw nameTaken({ fileId: holder.id });
      if (holder) return this.replaceContent(holder, file, file.size, transaction);
      try {
        return await create(name);
      } catch (err) {
        // Another request took the name meanwhile: its file is committed now, look again.
        if (!(err instanceof UniqueConstraintError) || tries >= 3) throw err;
      }
    }
  }

  /** The user's live file of this name in this folder; locked when in a transaction. */
  private async named(
    userId: string,
    folderId: string,
    name: string,
    transaction?: Transaction,
  ): Promise<UserFileRow | undefined> {
    const row = await this.models.UserFile.findOne({
      where: { userId, folderId, name, alive: 1 },
      transaction,
      lock: transaction ? transaction.LOCK.UPDATE : undefined,
    });
    return row ?? undefined;
  }
}
