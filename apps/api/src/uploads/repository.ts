// Upload state lives in the database, never in memory: any process can take any request, and a
// server killed mid-upload resumes exactly where it was.
import { Op, type Sequelize, type Transaction } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { newId } from '../ids.ts';
import type { HashLedger, HashProgress } from '../content/prefix-hasher.ts';
import type { UploadAttributes, UploadModels, UploadRow } from './models.ts';

/**
 * How long a completion's claim holds without renewal. Its holder renews it while it works (a
 * multi-GiB assembly takes minutes); a claim left by a crashed process lapses within this.
 */
export const CLAIM_LEASE_MS = 10_000;

export type NewUpload = Pick<
  UploadAttributes,
  | 'id'
  | 'userId'
  | 'folderId'
  | 'name'
  | 'size'
  | 'sha1'
  | 'chunkSize'
  | 'chunkCount'
  | 'onConflict'
>;

/** A chunk the staging file holds bytes of: whole when `received` equals `size`. */
export interface HeldChunk {
  index: number;
  size: number;
  received: number;
}

export class UploadRepository implements HashLedger {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: UploadModels,
    private readonly ttlMs: number,
  ) {}

  private expiry = () => new Date(Date.now() + this.ttlMs);

  /** The caller's live upload; another user's id is undefined, exactly like a missing one. */
  async findOwned(userId: string, id: string): Promise<UploadRow | undefined> {
    const row = await this.models.Upload.findOne({
      where: { id, userId, expiresAt: { [Op.gt]: new Date() } },
    });
    return row ?? undefined;
  }

  async findOpen(userId: string, sha1: string, size: number): Promise<UploadRow | undefined> {
    const row = await this.models.Upload.findOne({
      where: { userId, sha1, size, state: 'open', expiresAt: { [Op.gt]: new Date() } },
      order: [['createdAt', 'DESC']],
    });
    return row ?? undefined;
  }

  /** Bytes the user's unfinished uploads will add: reserved against the quota at init. */
  async openBytes(userId: string, except?: string): Promise<number> {
    const where = { userId, state: { [Op.ne]: 'completed' }, expiresAt: { [Op.gt]: new Date() } };
    const total = await this.models.Upload.sum('size', {
      where: except ? { ...where, id: { [Op.ne]: except } } : where,
    });
    return Number(total ?? 0);
  }

  /** Unfinished uploads not yet expired, of every user (GET /metrics). */
  async countOpen(): Promise<number> {
    const where = { state: { [Op.ne]: 'completed' }, expiresAt: { [Op.gt]: new Date() } };
    return this.models.Upload.count({ where });
  }

  async create(upload: NewUpload): Promise<UploadRow> {
    return this.models.Upload.create({
      ...upload,
      state: 'open',
      fileId: null,
      claimId: null,
      claimedUntil: null,
      hashedBytes: 0,
      hashState: null,
      hashLeaseId: null,
      hashLeasedUntil: null,
      expiresAt: this.expiry(),
    });
  }

  /** Activity pushes the expiry back: an upload expires UPLOAD_TTL after its last chunk. */
  async touch(
    upload: UploadRow,
    changes: Partial<Pick<UploadAttributes, 'name' | 'folderId' | 'onConflict'>> = {},
  ): Promise<void> {
    await upload.update({ ...changes, expiresAt: this.expiry() });
  }

  /** The chunks of which the staging file holds bytes, whole or in part, by index. */
  async heldChunks(uploadId: string, fromIndex = 0, limit?: number): Promise<HeldChunk[]> {
    const rows = await this.models.Chunk.findAll({
      attributes: ['chunkIndex', 'size', 'received'],
      where: { uploadId, chunkIndex: { [Op.gte]: fromIndex }, received: { [Op.gt]: 0 } },
      order: [['chunkIndex', 'ASC']],
      limit,
    });
    return rows.map((row) => ({
      index: row.chunkIndex,
      size: Number(row.size),
      received: Number(row.received),
    }));
  }

  /** The indexes of the whole (verified) chunks. */
  async receivedChunks(uploadId: string): Promise<number[]> {
    const held = await this.heldChunks(uploadId);
    return held.filter((chunk) => chunk.received === chunk.size).map((chunk) => chunk.index);
  }

  /** Bytes of one chunk the staging file holds. */
  async heldBytes(uploadId: string, chunkIndex: number): Promise<number> {
    const row = await this.models.Chunk.findOne({
      attributes: ['received'],
      where: { uploadId, chunkIndex },
    });
    return Number(row?.received ?? 0);
  }

  /** Records what the staging file holds of a chunk when a PUT ends, whatever way it ended. */
  async recordChunk(
    uploadId: string,
    chunkIndex: number,
    held: { size: number; received: number; md5?: string },
  ): Promise<void> {
    await this.models.Chunk.upsert({ uploadId, chunkIndex, md5: '', ...held });
    await this.models.Upload.update(
      { expiresAt: this.expiry() },
      { where: { id: uploadId, state: 'open' } },
    );
  }

  // ——— the running SHA-1's ledger (content/prefix-hasher.ts) ———

  async wholeChunksFrom(uploadId: string, fromIndex: number): Promise<number> {
    let count = 0;
    for (;;) {
      const batch = await this.heldChunks(uploadId, fromIndex + count, 256);
      for (const chunk of batch) {
        if (chunk.index !== fromIndex + count || chunk.received !== chunk.size) return count;
        count += 1;
      }
      if (batch.length < 256) return count;
    }
  }

  async hashOffset(uploadId: string): Promise<number | undefined> {
    const row = await this.models.Upload.findByPk(uploadId, { attributes: ['hashedBytes'] });
    return row ? Number(row.hashedBytes) : undefined;
  }

  async takeHashLease(
    uploadId: string,
    leaseId: string,
    leaseMs: number,
    at?: number,
  ): Promise<HashProgress | undefined> {
    const now = Date.now();
    const [changed] = await this.models.Upload.update(
      { hashLeaseId: leaseId, hashLeasedUntil: new Date(now + leaseMs) },
      {
        where: {
          id: uploadId,
          ...(at === undefined ? {} : { hashedBytes: at }),
          [Op.or]: [{ hashLeaseId: null }, { hashLeasedUntil: { [Op.lt]: new Date(now) } }],
        },
      },
    );
    if (changed !== 1) return undefined;
    const row = await this.models.Upload.findByPk(uploadId, {
      attributes: ['hashedBytes', 'hashState'],
    });
    return row ? { offset: Number(row.hashedBytes), state: row.hashState } : undefined;
  }

  async saveHash(
    uploadId: string,
    leaseId: string,
    progress: HashProgress,
    leaseMs: number | 'release',
  ): Promise<boolean> {
    const lease =
      leaseMs === 'release'
        ? { hashLeaseId: null, hashLeasedUntil: null }
        : { hashLeasedUntil: new Date(Date.now() + leaseMs) };
    const [changed] = await this.models.Upload.update(
      { hashedBytes: progress.offset, hashState: progress.state, ...lease },
      { where: { id: uploadId, hashLeaseId: leaseId } },
    );
    return changed === 1;
  }

  async renewHashLease(uploadId: string, leaseId: string, leaseMs: number): Promise<boolean> {
    const [changed] = await this.models.Upload.update(
      { hashLeasedUntil: new Date(Date.now() + leaseMs) },
      { where: { id: uploadId, hashLeaseId: leaseId } },
    );
    return changed === 1;
  }

  async releaseHashLease(uploadId: string, leaseId: string): Promise<void> {
    await this.models.Upload.update(
      { hashLeaseId: null, hashLeasedUntil: null },
      { where: { id: uploadId, hashLeaseId: leaseId } },
    );
  }

  /**
   * The one conditional state change that lets one request complete the upload: it moves the
   * upload from open, or from a claim that lapsed (its holder died), to completing under a new
   * claim. The claim's id, or undefined when another request holds a live claim.
   */
  async claimForCompletion(uploadId: string): Promise<string | undefined> {
    const claimId = newId();
    const now = Date.now();
    const [changed] = await this.models.Upload.update(
      { state: 'completing', claimId, claimedUntil: new Date(now + CLAIM_LEASE_MS) },
      {
        where: {
          id: uploadId,
          [Op.or]: [
            { state: 'open' },
            // (No lease at all: a completion cut off before claims had one.)
            { state: 'completing', claimedUntil: { [Op.or]: [null, { [Op.lt]: new Date(now) }] } },
          ],
        },
      },
    );
    return changed === 1 ? claimId : undefined;
  }

  /** Extends a live claim (and the upload's expiry); false when the claim is no longer held. */
  async renewClaim(uploadId: string, claimId: string): Promise<boolean> {
    const [changed] = await this.models.Upload.update(
      { claimedUntil: new Date(Date.now() + CLAIM_LEASE_MS), expiresAt: this.expiry() },
      { where: { id: uploadId, state: 'completing', claimId } },
    );
    return changed === 1;
  }

  /**
   * Marks the upload completed with its file inside the transaction that writes the file, so both
   * happen or neither does; the upload is kept (until it expires) so a repeated complete gets the
   * same file. False, changing nothing, when the claim was lost (taken over, or the upload
   * cancelled): the caller must then roll the file back.
   */
  async markCompleted(
    uploadId: string,
    claimId: string,
    fileId: string,
    transaction: Transaction,
  ): Promise<boolean> {
    const [changed] = await this.models.Upload.update(
      { state: 'completed', fileId, claimId: null, claimedUntil: null, expiresAt: this.expiry() },
      { where: { id: uploadId, state: 'completing', claimId }, transaction },
    );
    if (changed === 1) await this.models.Chunk.destroy({ where: { uploadId }, transaction });
    return changed === 1;
  }

  /** Gives a claim up after a failed completion: the upload is open again (the chunks are intact). */
  async reopen(uploadId: string, claimId: string): Promise<void> {
    await this.models.Upload.update(
      { state: 'open', claimId: null, claimedUntil: null },
      { where: { id: uploadId, state: 'completing', claimId } },
    );
  }

  /** Deletes the upload and its chunk rows; false when another request deleted it first. */
  async discard(uploadId: string, onlyIfExpired = false): Promise<boolean> {
    return inTransaction(this.sequelize, async (transaction) => {
      const where = onlyIfExpired
        ? { id: uploadId, expiresAt: { [Op.lte]: new Date() } }
        : { id: uploadId };
      const deleted = await this.models.Upload.destroy({ where, transaction });
      if (deleted === 1) await this.models.Chunk.destroy({ where: { uploadId }, transaction });
      return deleted === 1;
    });
  }

  async expiredIds(limit: number): Promise<string[]> {
    const rows = await this.models.Upload.findAll({
      attributes: ['id'],
      where: { expiresAt: { [Op.lte]: new Date() } },
      limit,
    });
    return rows.map((row) => row.id);
  }

  async exists(uploadId: string): Promise<boolean> {
    return (await this.models.Upload.count({ where: { id: uploadId } })) > 0;
  }
}
