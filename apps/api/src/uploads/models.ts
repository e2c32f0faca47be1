import type { OnConflict } from '@filestore/contract';
import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export type UploadState = 'open' | 'completing' | 'completed';

export interface UploadAttributes {
  id: string;
  userId: string;
  /** Where the file goes: '' for the root (see migration 005). */
  folderId: string;
  name: string;
  size: number;
  /** The declared SHA-1; null when init did not give it (stored as ''; complete gets it). */
  sha1: string | null;
  chunkSize: number;
  chunkCount: number;
  /** What complete does when the name is taken (files/service.ts). */
  onConflict: OnConflict;
  state: UploadState;
  fileId: string | null;
  /** The completion holding the upload (state `completing`) and until when, unless renewed. */
  claimId: string | null;
  claimedUntil: Date | null;
  /** The running SHA-1 (content/prefix-hasher.ts): bytes hashed from the start, saved state. */
  hashedBytes: number;
  hashState: string | null;
  /** The process advancing the running SHA-1, and until when unless renewed. */
  hashLeaseId: string | null;
  hashLeasedUntil: Date | null;
  expiresAt: Date;
  createdAt?: Date;
  updatedAt?: Date;
}
export type UploadRow = Model<UploadAttributes> & Required<UploadAttributes>;

export interface ChunkAttributes {
  uploadId: string;
  chunkIndex: number;
  /** The chunk's whole size. */
  size: number;
  /** Bytes of it the staging file holds: whole (and verified) when equal to size. */
  received: number;
  /** The verified Content-MD5, or '' (a chunk sent with Upload-Checksum, or not whole). */
  md5: string;
  /** The PUT writing the chunk (uploads/put-chunk.ts) and until when, unless renewed. */
  claimId: string | null;
  claimedUntil: Date | null;
  createdAt?: Date;
  updatedAt?: Date;
}
export type ChunkRow = Model<ChunkAttributes> & ChunkAttributes;

export interface UploadModels {
  Upload: ModelStatic<UploadRow>;
  Chunk: ModelStatic<ChunkRow>;
}

export function defineUploadModels(sequelize: Sequelize): UploadModels {
  const Upload = sequelize.define<UploadRow>(
    'Upload',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      folderId: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      sha1: {
        type: DataTypes.CHAR(40),
        allowNull: false,
        get(this: UploadRow) {
          return this.getDataValue('sha1') || null;
        },
        set(this: UploadRow, sha1: string | null) {
          this.setDataValue('sha1', sha1 ?? '');
        },
      },
      chunkSize: { type: DataTypes.BIGINT, allowNull: false },
      chunkCount: { type: DataTypes.INTEGER, allowNull: false },
      onConflict: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'keep' },
      state: { type: DataTypes.STRING(16), allowNull: false },
      fileId: { type: DataTypes.STRING(32), allowNull: true },
      claimId: { type: DataTypes.STRING(32), allowNull: true },
      claimedUntil: { type: DataTypes.DATE(3), allowNull: true },
      hashedBytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      hashState: { type: DataTypes.STRING(255), allowNull: true },
      hashLeaseId: { type: DataTypes.STRING(32), allowNull: true },
      hashLeasedUntil: { type: DataTypes.DATE(3), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      createdAt: { type: DataTypes.DATE(3) },
      updatedAt: { type: DataTypes.DATE(3) },
    },
    { tableName: 'uploads' },
  );
  const Chunk = sequelize.define<ChunkRow>(
    'Chunk',
    {
      uploadId: { type: DataTypes.STRING(32), primaryKey: true },
      chunkIndex: { type: DataTypes.INTEGER, primaryKey: true },
      size: { type: DataTypes.BIGINT, allowNull: false },
      received: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      md5: { type: DataTypes.STRING(24), allowNull: false },
      claimId: { type: DataTypes.STRING(32), allowNull: true },
      claimedUntil: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3) },
      updatedAt: { type: DataTypes.DATE(3) },
    },
    { tableName: 'upload_chunks' },
  );
  return { Upload, Chunk };
}
