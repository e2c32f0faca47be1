import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface UserFileAttributes {
  seq?: number;
  id: string;
  userId: string;
  /** '' for the root (see migration 005). */
  folderId: string;
  name: string;
  sha1: string;
  size: number;
  alive: 1 | null;
  deletedAt: Date | null;
  /** The trash item it went to the trash with (itself, or a folder it was in); null while alive. */
  trashId?: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}
export type UserFileRow = Model<UserFileAttributes> & Required<UserFileAttributes>;

export interface ChallengeAttributes {
  id: string;
  userId: string;
  sha1: string;
  expiresAt: Date;
}
export type ChallengeRow = Model<ChallengeAttributes> & ChallengeAttributes;

export interface FileModels {
  UserFile: ModelStatic<UserFileRow>;
  Challenge: ModelStatic<ChallengeRow>;
}

export function defineFileModels(sequelize: Sequelize): FileModels {
  const UserFile = sequelize.define<UserFileRow>(
    'UserFile',
    {
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(32), allowNull: false },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      folderId: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      alive: { type: DataTypes.TINYINT, allowNull: true },
      deletedAt: { type: DataTypes.DATE(3), allowNull: true },
      trashId: { type: DataTypes.STRING(32), allowNull: true },
      createdAt: { type: DataTypes.DATE(3) },
      updatedAt: { type: DataTypes.DATE(3) },
    },
    { tableName: 'user_files' },
  );
  const Challenge = sequelize.define<ChallengeRow>(
    'Challenge',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'instant_challenges', timestamps: false },
  );
  return { UserFile, Challenge };
}
