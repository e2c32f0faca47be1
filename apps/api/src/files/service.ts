// A user's files: list, look up, rename, delete, and add (from an upload or from known content).
import { rm } from 'node:fs/promises';
import type { FileItem } from '@filestore/contract';
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
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { Contents } from './contents.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { FileModels, UserFileAttributes, UserFileRow } from './models.ts';
import { firstFreeSuffix, splitExtension } from './names.ts';

export const toFileDto = (row: UserFileRow): FileItem => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  sha1: row.sha1,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

// LIKE with '!' as its escape character: the same on MySQL and SQLite.
const likeContaining = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;

export interface NewFile {
  userId: string;
  name: string;
  sha1: string;
  size: number;
}

export class FileService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: FileModels,
    readonly contents: Contents,
    private readonly accounts: AccountService,
  ) {}

  /** The caller's files, newest first, by keyset pagination (no OFFSET scans). */
  async list(
    userId: string,
    options: { q?: string; limit: number; cursor?: string },
  ): Promise<{ items: FileItem[]; nextCursor: string | null }> {
    const conditions: WhereOptions<UserFileAttributes>[] = [{ userId, alive: 1 }];
    if (options.cursor) conditions.push({ seq: { [Op.lt]: decodeCursor(options.cursor) } });
    if (options.q) {
      const pattern = this.sequelize.escape(likeContaining(options.q));
      conditions.push(this.sequelize.literal(`LOWER(name) LIKE ${pattern} ESCAPE '!'`));
    }
    const rows = await this.models.UserFile.findAll({
      where: { [Op.and]: conditions },
      order: [['seq', 'DESC']],
      limit: options.limit + 1,
      // MariaDB may read a deep page through (user_id, alive) alone, from the user's newest entry
      // down to the cursor (1 s at 200,000 entries; bench/metadata): the hint makes it seek.
      indexHints: [{ type: IndexHints.FORCE, values: ['user_files_listing'] }],
    });
    const page = rows.slice(0, options.limit);
    const more = rows.length > options.limit;
    return {
      items: page.map(toFileDto),
      nextCursor: more ? encodeCursor(Number(page.at(-1)!.seq)) : null,
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

  async rename(userId: string, id: string, name: string): Promise<UserFileRow> {
    return inTransaction(this.sequelize, async (transaction) => {
      const row = await this.get(userId, id, transaction);
      if (row.name === name) return row;
      return this.withFreeName(userId, name, transaction, (free) =>
        row.update({ name: free }, { transaction }),
      );
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    const sha1 = await inTransaction(this.sequelize, async (transaction) => {
      const row = await this.get(userId, id, transaction);
      await row.update({ alive: null, deletedAt: new Date() }, { transaction });
      await this.accounts.addUsedBytes(userId, -Number(row.size), transaction);
      return row.sha1;
    });
    // Only once the entry is gone: a failure here leaves the count too high, never too low.
    await this.contents.dropReference(sha1);
  }

  /**
   * Adds a file whose bytes were just received into `tempPath` (removed afterwards). Content that
   * already exists is deduplicated: the existing bytes get one more reference.
   */
  async addUploaded(file: NewFile, tempPath: string): Promise<UserFileRow> {
    try {
      await this.contents.addUploaded(file.sha1, file.size, tempPath);
    } finally {
      await rm(tempPath, { force: true });
    }
    return this.addEntry(file);
  }

  /** Adds a file for content that already exists (instant upload); 404 when it has gone. */
  async addExisting(file: NewFile): Promise<UserFileRow> {
    if (!(await this.contents.addReference(file.sha1))) throw notFound('content');
    return this.addEntry(file);
  }

  /** The user's entry for content that already holds a reference for it, given back on failure. */
  private async addEntry(file: NewFile): Promise<UserFileRow> {
    try {
      return await inTransaction(this.sequelize, async (transaction) => {
        const row = await this.insert(file, transaction);
        await this.accounts.addUsedBytes(file.userId, file.size, transaction);
        return row;
      });
    } catch (err) {
      // If this fails too, the count stays one too high: the bytes are kept, nothing is lost.
      await this.contents.dropReference(file.sha1).catch(() => undefined);
      throw err;
    }
  }

  private insert(file: NewFile, transaction: Transaction): Promise<UserFileRow> {
    return this.withFreeName(file.userId, file.name, transaction, (name) =>
      this.models.UserFile.create(
        { id: newId(), ...file, name, alive: 1, deletedAt: null },
        { transaction },
      ),
    );
  }

  /** Runs `write` with `name`, or with ` (1)`, ` (2)`… added when the name is taken. */
  private async withFreeName<T>(
    userId: string,
    name: string,
    transaction: Transaction,
    write: (name: string) => Promise<T>,
  ): Promise<T> {
    let candidate = name;
    for (let tries = 0; ; tries++) {
      try {
        return await write(candidate);
      } catch (err) {
        if (!(err instanceof UniqueConstraintError) || tries >= 5) throw err;
        candidate = firstFreeSuffix(name, await this.namesLike(userId, name, transaction));
      }
    }
  }

  private async namesLike(
    userId: string,
    name: string,
    transaction: Transaction,
  ): Promise<Set<string>> {
    const [stem] = splitExtension(name);
    const rows = await this.models.UserFile.findAll({
      attributes: ['name'],
      where: { userId, alive: 1, name: { [Op.startsWith]: stem } },
      transaction,
    });
    return new Set(rows.map((row) => row.name));
  }
}
