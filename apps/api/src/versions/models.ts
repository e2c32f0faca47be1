import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface VersionAttributes {
  seq?: number;
  id: string;
  fileId: string;
  userId: string;
  sha1: string;
  size: number;
  /** When this content was written (the file's updatedAt when it was replaced). */
  createdAt: Date;
}
export type VersionRow = Model<VersionAttributes> & Required<VersionAttributes>;

export function defineVersionModel(sequelize: Sequelize): ModelStatic<VersionRow> {
  return sequelize.define<VersionRow>(
    'FileVersion',
    {
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(32), allowNull: false },
      fileId: { type: DataTypes.STRING(32), allowNull: false },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'file_versions', timestamps: false },
  );
}
