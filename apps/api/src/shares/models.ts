import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface ShareAttributes {
  token: string;
  userId: string;
  userFileId: string;
  /** HMAC of the extraction code; null when the link has none. */
  codeHash: string | null;
  /** null: never expires. */
  expiresAt: Date | null;
  maxDownloads: number | null;
  downloads: number;
  views: number;
  revoked: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}
export type ShareRow = Model<ShareAttributes> & Required<ShareAttributes>;

/** An address that may resume a counted download of a link until `expiresAt` (epoch ms). */
export interface ShareResumeAttributes {
  shareToken: string;
  address: string;
  expiresAt: number;
}
export type ShareResumeRow = Model<ShareResumeAttributes> & ShareResumeAttributes;

export interface ShareModels {
  Share: ModelStatic<ShareRow>;
  Resume: ModelStatic<ShareResumeRow>;
}

export function defineShareModels(sequelize: Sequelize): ShareModels {
  const Share = sequelize.define<ShareRow>(
    'Share',
    {
      token: { type: DataTypes.STRING(64), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      userFileId: { type: DataTypes.STRING(32), allowNull: false },
      codeHash: { type: DataTypes.STRING(64), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: true },
      maxDownloads: { type: DataTypes.INTEGER, allowNull: true },
      downloads: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      revoked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DataTypes.DATE(3) },
      updatedAt: { type: DataTypes.DATE(3) },
    },
    { tableName: 'shares' },
  );
  const Resume = sequelize.define<ShareResumeRow>(
    'ShareResume',
    {
      shareToken: { type: DataTypes.STRING(64), primaryKey: true },
      address: { type: DataTypes.STRING(64), primaryKey: true },
      expiresAt: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'share_resumes', timestamps: false },
  );
  return { Share, Resume };
}
