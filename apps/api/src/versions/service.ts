// Earlier contents of a file (issue 13). Replacing a file's content (onConflict=replace, a version
// restored) keeps the old content as a version; at most VERSIONS_MAX are kept per file, the oldest
// pruned first. A version holds one reference to its content and counts toward its owner's quota
// until it is pruned or its file purged: references move between a file and its versions without
// changing any count, so only pruning and purging drop them (after commit, files/service.ts).
import type { VersionItem } from '@filestore/contract';
import { literal, Op, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import type { AccountService } from '../auth/service.ts';
import { inTransaction } from '../db/transactions.ts';
import type { UserFileRow } from '../files/models.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { VersionRow } from './models.ts';

export const toVersionDto = (row: VersionRow): VersionItem => ({
  id: row.id,
  size: Number(row.size),
  sha1: row.sha1,
  createdAt: row.createdAt.toISOString(),
});

// Files whose versions the housekeeping step prunes per pass.
const PRUNE_BATCH = 500;

export class FileVersions {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly Version: ModelStatic<VersionRow>,
    private readonly accounts: AccountService,
    /** VERSIONS_MAX: earlier contents kept per file. */
    readonly max: number,
  ) {}

  /** The file's versions, newest first (the caller has checked the file is the user's). */
  async list(fileId: string): Promise<VersionRow[]> {
    return this.Version.findAll({ where: { fileId }, order: [['seq', 'DESC']] });
  }

  /** One version of the file; a version of another file is 404 exactly like a missing one. */
  async find(fileId: string, versionId: string): Promise<VersionRow> {
    const row = await this.Version.findOne({ where: { id: versionId, fileId } });
    if (!row) throw notFound('version');
    return row;
  }

  /**
   * Makes the file's current content its newest version (the caller holds the file's row lock and
   * then gives the file its new content), pruning beyond VERSIONS_MAX. The content's reference and
   * its bytes in the quota pass from the file to the version; pruned versions give their bytes
   * back, and the caller drops the returned contents' references once it has committed.
   */
  async keep(file: UserFileRow, transaction: Transaction): Promise<string[]> {
    await this.Version.create(
      {
        id: newId(),
        fileId: file.id,
        userId: file.userId,
        sha1: file.sha1,
        size: file.size,
        createdAt: file.updatedAt,
      },
      { transaction },
    );
    return this.prune(file.id, transaction);
  }

  /**
   * Removes a version that becomes its file's content again (the caller holds the file's row lock):
   * its reference and its bytes in the quota pass to the file. 404 when it is not (any more).
   */
  async take(fileId: string, versionId: string, transaction: Transaction): Promise<VersionRow> {
    const row = await this.Version.findOne({
      where: { id: versionId, fileId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!row) throw notFound('version');
    await row.destroy({ transaction });
    return row;
  }

  /**
   * Drops every version of these files (the trash purges them) in the caller's transaction, giving
   * their bytes back to their owners' quotas; the caller drops the returned contents' references
   * once it has committed.
   */
  async removeAllOf(fileIds: string[], transaction: Transaction): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.Version.findAll({
      where: { fileId: { [Op.in]: fileIds } },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    return this.destroy(rows, transaction);
  }

  /**
   * Housekeeping: prunes every file down to VERSIONS_MAX (it may have been lowered). Safe beside
   * replaces, restores and other processes doing the same: each file's versions are pruned under
   * their row locks, and only rows this pass deleted are given back. Returns the versions pruned.
   */
  async pruneAll(dropReferences: (sha1s: string[]) => Promise<void>): Promise<number> {
    let pruned = 0;
    for (;;) {
      const crowded = await this.Version.findAll({
        attributes: ['fileId'],
        group: ['fileId'],
        having: literal(`COUNT(*) > ${this.max}`),
        limit: PRUNE_BATCH,
      });
      for (const { fileId } of crowded) {
        const sha1s = await inTransaction(this.sequelize, (transaction) =>
          this.prune(fileId, transaction),
        );
        await dropReferences(sha1s);
        pruned += sha1s.length;
      }
      if (crowded.length < PRUNE_BATCH) return pruned;
    }
  }

  /**
   * Deletes the file's versions beyond VERSIONS_MAX, oldest first. Every version of the file is
   * locked first, so two prunes of one file (a replace, housekeeping) take turns.
   */
  private async prune(fileId: string, transaction: Transaction): Promise<string[]> {
    const rows = await this.Version.findAll({
      where: { fileId },
      order: [['seq', 'DESC']],
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    return this.destroy(rows.slice(this.max), transaction);
  }

  /** Deletes locked versions and gives their bytes back to their owners' quotas; their SHA-1s. */
  private async destroy(rows: VersionRow[], transaction: Transaction): Promise<string[]> {
    if (rows.length === 0) return [];
    await this.Version.destroy({
      where: { id: { [Op.in]: rows.map((row) => row.id) } },
      transaction,
    });
    const freed = new Map<string, number>();
    for (const row of rows) freed.set(row.userId, (freed.get(row.userId) ?? 0) + Number(row.size));
    for (const [userId, bytes] of freed)
      await this.accounts.addUsedBytes(userId, -bytes, transaction);
    return rows.map((row) => row.sha1);
  }
}
