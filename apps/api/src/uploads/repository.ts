// Upload state lives in the database, never in memory: any process can take any request, and a
// server killed mid-upload resumes exactly where it was.
import { Op, type Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import type { UploadAttributes, UploadModels, UploadRow } from './models.ts';

// A completion that has not finished in this long was cut off by a crash and may be taken over.
const COMPLETION_LEASE_MS = 15 * 60 * 1000;

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
   * The one conditional state change that makes complete happen exactly once: only the request
   * that moves the upload from open (or from a completion abandoned by a crash) to completing wins.
   */
  async claimForCompletion(uploadId: string): Promise<boolean> {
    const [changed] = await this.models.Upload.update(
      { state: 'completing' },
      {
        where: {
          id: uploadId,
          [Op.or]: [
            { state: 'open' },
            {
              state: 'completing',
              updatedAt: { [Op.lt]: new Date(Date.now() - COMPLETION_LEASE_MS) },
            },
          ],
        },
      },
    );
    return changed === 1;
  }

  /** Keeps the finished upload (until it expires) so a repeated complete gets the same file. */
  async markCompleted(uploadId: string, fileId: string): Promise<void> {
    await inTransaction(this.sequelize, async (transaction) => {
      await this.models.Upload.update(
        { state: 'completed', fileId, expiresAt: this.expiry() },
        { where: { id: uploadId }, transaction },
      );
      await this.models.Chunk.destroy({ where: { uploadId }, transaction });
    });
  }

  async reopen(uploadId: string): Promise<void> {
    await this.models.Upload.update(
      { state: 'open' },
      { where: { id: uploadId, state: 'completing' } },
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
