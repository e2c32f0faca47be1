// Upload state lives in the database, never in memory: any process can take any request, and a
// server killed mid-upload resumes exactly where it was.
import { Op, type Sequelize, type Transaction } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { newId } from '../ids.ts';
import type { UploadAttributes, UploadModels, UploadRow } from './models.ts';

/**
 * How long a completion's claim holds without renewal. Its holder renews it while it works (a
 * multi-GiB assembly takes minutes); a claim left by a crashed process lapses within this.
 */
export const CLAIM_LEASE_MS = 10_000;

export type NewUpload = Pick<
  UploadAttributes,
  'id' | 'userId' | 'folderId' | 'name' | 'size' | 'sha1' | 'chunkSize' | 'chunkCount'
>;

export class UploadRepository {
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

  async create(upload: NewUpload): Promise<UploadRow> {
    return this.models.Upload.create({
      ...upload,
      state: 'open',
      fileId: null,
      claimId: null,
      claimedUntil: null,
      expiresAt: this.expiry(),
    });
  }

  /** Activity pushes the expiry back: an upload expires UPLOAD_TTL after its last chunk. */
  async touch(
    upload: UploadRow,
    changes: { name?: string; folderId?: string } = {},
  ): Promise<void> {
    await upload.update({ ...changes, expiresAt: this.expiry() });
  }

  async receivedChunks(uploadId: string): Promise<number[]> {
    const rows = await this.models.Chunk.findAll({
      attributes: ['chunkIndex'],
      where: { uploadId },
      order: [['chunkIndex', 'ASC']],
    });
    return rows.map((row) => row.chunkIndex);
  }

  async recordChunk(
    uploadId: string,
    chunkIndex: number,
    size: number,
    md5: string,
  ): Promise<void> {
    await this.models.Chunk.upsert({ uploadId, chunkIndex, size, md5 });
    await this.models.Upload.update(
      { expiresAt: this.expiry() },
      { where: { id: uploadId, state: 'open' } },
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
