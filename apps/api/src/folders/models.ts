import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** `parentId` is '' for a folder at the root (see migration 005). */
export interface FolderAttributes {
  id: string;
  userId: string;
  parentId: string;
  name: string;
  /** 1 while alive, null in the trash (migration 010). */
  alive?: 1 | null;
  /** The trash item it went to the trash with (itself, or a folder above it). */
  trashId?: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}
export type FolderRow = Model<FolderAttributes> & Required<FolderAttributes>;

export function defineFolderModel(sequelize: Sequelize): ModelStatic<FolderRow> {
  return sequelize.define<FolderRow>(
    'Folder',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      parentId: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      alive: { type: DataTypes.TINYINT, allowNull: true, defaultValue: 1 },
      trashId: { type: DataTypes.STRING(32), allowNull: true },
      createdAt: { type: DataTypes.DATE(3) },
      updatedAt: { type: DataTypes.DATE(3) },
    },
    { tableName: 'folders' },
  );
}
