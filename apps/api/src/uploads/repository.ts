// Upload state lives in the database, never in memory: any process can take any request, and a
// server killed mid-upload resumes exactly where it was.
import { Op, QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import { newId } from '../ids.ts';
import type { HashEnd, HashLedger, HashProgress } from '../content/prefix-hasher.ts';
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

/**
 * How long a chunk PUT's claim on its chunk holds without renewal: the PUT renews it while bytes
 * stream; a claim left by a crashed process lapses within this.
 */
export const CHUNK_CLAIM_MS = 6000;

/** What a chunk PUT needs of its upload and of the chunk's row, read in one statement. */
export interface ChunkTarget {
  state: string;
  size: number;
  chunkSize: number;
  chunkCount: number;
  /** The running SHA-1 as it stood (content/prefix-hasher.ts). */
  hash: HashProgress;
  /** Bytes of the chunk held; undefined when the chunk has no row yet. */
  received: number | undefined;
}

/** A chunk claimed by one PUT (`claimId`), or found whole (nothing left to write: no claim). */
export type ChunkClaim = { claimId: string; received: number } | { claimId?: undefined };

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

  // ——— a chunk PUT's statements: raw, one round trip each, no model instances ———

  /** Dates as the models store them (SQLite: text with its offset; MySQL: DATETIME(3)). */
  private at(date: Date): string {
    const text = date.toISOString().replace('T', ' ').replace('Z', '');
    return this.sequelize.getDialect() === 'sqlite' ? `${text} +00:00` : text;
  }

  private async changed(sql: string, replacements: unknown[]): Promise<number> {
    const [, rows] = await this.sequelize.query(sql, { replacements, type: QueryTypes.UPDATE });
    return Number(rows);
  }

  /** The caller's live upload with chunk `index`'s row (another user's id is undefined). */
  async findChunkTarget(
    userId: string,
    id: string,
    index: number,
  ): Promise<ChunkTarget | undefined> {
    const [row] = await this.sequelize.query<Record<string, string | number | null>>(
      `SELECT u.state, u.size, u.chunk_size, u.chunk_count, u.hashed_bytes, u.hash_state,
              c.received
         FROM uploads u LEFT JOIN upload_chunks c ON c.upload_id = u.id AND c.chunk_index = ?
        WHERE u.id = ? AND u.user_id = ? AND u.expires_at > ?`,
      { replacements: [index, id, userId, this.at(new Date())], type: QueryTypes.SELECT },
    );
    if (!row) return undefined;
    return {
      state: String(row.state),
      size: Number(row.size),
      chunkSize: Number(row.chunk_size),
      chunkCount: Number(row.chunk_count),
      hash: { offset: Number(row.hashed_bytes), state: (row.hash_state as string | null) || null },
      received: row.received === null ? undefined : Number(row.received),
    };
  }

  /**
   * Claims chunk `index` for one PUT when no live claim holds it and it still holds `seen` bytes
   * (undefined: no row yet); undefined when another PUT was first. A chunk found whole is not
   * claimed. The caller looks again (`chunkHeld`) and retries.
   */
  async claimChunk(
    uploadId: string,
    index: number,
    size: number,
    seen: number | undefined,
  ): Promise<ChunkClaim | undefined> {
    if (seen === size) return {};
    const claimId = newId();
    const now = new Date();
    const until = this.at(new Date(now.getTime() + CHUNK_CLAIM_MS));
    if (seen === undefined) {
      try {
        await this.sequelize.query(
          `INSERT INTO upload_chunks
             (upload_id, chunk_index, size, received, md5, claim_id, claimed_until, created_at, updated_at)
           VALUES (?, ?, ?, 0, '', ?, ?, ?, ?)`,
          {
            replacements: [uploadId, index, size, claimId, until, this.at(now), this.at(now)],
            type: QueryTypes.INSERT,
          },
        );
        return { claimId, received: 0 };
      } catch (err) {
        if (err instanceof UniqueConstraintError) return undefined;
        throw err;
      }
    }
    const changed = await this.changed(
      `UPDATE upload_chunks SET claim_id = ?, claimed_until = ?
        WHERE upload_id = ? AND chunk_index = ? AND received = ?
          AND (claim_id IS NULL OR claimed_until <= ?)`,
      [claimId, until, uploadId, index, seen, this.at(now)],
    );
    return changed === 1 ? { claimId, received: seen } : undefined;
  }

  /** Bytes of chunk `index` held (undefined: no row), and whether a live claim holds it. */
  async chunkHeld(
    uploadId: string,
    index: number,
  ): Promise<{ received: number | undefined; claimed: boolean }> {
    const [row] = await this.sequelize.query<{ received: number; claimed: number }>(
      `SELECT received, CASE WHEN claim_id IS NOT NULL AND claimed_until > ? THEN 1 ELSE 0 END
              AS claimed
         FROM upload_chunks WHERE upload_id = ? AND chunk_index = ?`,
      { replacements: [this.at(new Date()), uploadId, index], type: QueryTypes.SELECT },
    );
    return row
      ? { received: Number(row.received), claimed: Number(row.claimed) === 1 }
      : { received: undefined, claimed: false };
  }

  async renewChunkClaim(uploadId: string, index: number, claimId: string): Promise<boolean> {
    const until = this.at(new Date(Date.now() + CHUNK_CLAIM_MS));
    const changed = await this.changed(
      'UPDATE upload_chunks SET claimed_until = ? WHERE upload_id = ? AND chunk_index = ? AND claim_id = ?',
      [until, uploadId, index, claimId],
    );
    return changed === 1;
  }

  /**
   * Records what the staging file holds of a claimed chunk, keeping the claim or (when the PUT
   * ends, whatever way) letting it go; false when the claim was lost (the upload was discarded).
   */
  async recordChunk(
    uploadId: string,
    index: number,
    claimId: string,
    held: { received: number | undefined; md5: string },
    release: boolean,
  ): Promise<boolean> {
    const claim = release ? ', claim_id = NULL, claimed_until = NULL' : '';
    const received = held.received === undefined ? 'received' : '?';
    const changed = await this.changed(
      `UPDATE upload_chunks SET received = ${received}, md5 = ?, updated_at = ?${claim}
        WHERE upload_id = ? AND chunk_index = ? AND claim_id = ?`,
      [
        ...(held.received === undefined ? [] : [held.received]),
        held.md5,
        this.at(new Date()),
        uploadId,
        index,
        claimId,
      ],
    );
    return changed === 1;
  }

  /**
   * A chunk PUT ended: activity pushes the upload's expiry back, in the statement that saves the
   * running SHA-1 the PUT followed (and keeps its lease for the next chunk's PUT, or lets it go).
   */
  async chunkEnded(uploadId: string, hash: HashEnd | undefined): Promise<void> {
    const expiry = this.at(this.expiry());
    if (hash) {
      const lease = hash.keepLease
        ? ['hash_leased_until = ?', this.at(new Date(Date.now() + hash.keepLease))]
        : ['hash_lease_id = NULL, hash_leased_until = NULL'];
      const progress = hash.progress
        ? ['hashed_bytes = ?, hash_state = ?', hash.progress.offset, hash.progress.state]
        : [];
      const sets = ['expires_at = ?', lease[0], progress[0]].filter(Boolean).join(', ');
      const changed = await this.changed(
        `UPDATE uploads SET ${sets} WHERE id = ? AND hash_lease_id = ?`,
        [expiry, ...lease.slice(1), ...progress.slice(1), uploadId, hash.leaseId],
      );
      if (changed === 1) return;
    }
    await this.changed(`UPDATE uploads SET expires_at = ? WHERE id = ? AND state = 'open'`, [
      expiry,
      uploadId,
    ]);
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
    if (!(await this.takeHashLeaseAt(uploadId, leaseId, leaseMs, at))) return undefined;
    const row = await this.models.Upload.findByPk(uploadId, {
      attributes: ['hashedBytes', 'hashState'],
    });
    return row ? { offset: Number(row.hashedBytes), state: row.hashState } : undefined;
  }

  async takeHashLeaseAt(
    uploadId: string,
    leaseId: string,
    leaseMs: number,
    at?: number,
  ): Promise<boolean> {
    const now = Date.now();
    const changed = await this.changed(
      `UPDATE uploads SET hash_lease_id = ?, hash_leased_until = ?
        WHERE id = ?${at === undefined ? '' : ' AND hashed_bytes = ?'}
          AND (hash_lease_id IS NULL OR hash_leased_until < ?)`,
      [
        leaseId,
        this.at(new Date(now + leaseMs)),
        uploadId,
        ...(at === undefined ? [] : [at]),
        this.at(new Date(now)),
      ],
    );
    return changed === 1;
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
