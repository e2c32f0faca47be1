import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** One top-level item of a user's trash: a file, or a folder with everything that was inside. */
export interface TrashItemAttributes {
  /** The id of the file or folder. */
  id: string;
  userId: string;
  kind: 'file' | 'folder';
  name: string;
  /** A folder: the bytes of every file that went to the trash with it. */
  size: number;
  /** The folder it was deleted from, "/A/B" ("/" for the root). */
  originalPath: string;
  deletedAt: Date;
  /** Set while a purge holds the item; a lapsed one is taken over. */
  purgingUntil: Date | null;
}
export type TrashItemRow = Model<TrashItemAttributes> & TrashItemAttributes;

export function defineTrashModel(sequelize: Sequelize): ModelStatic<TrashItemRow> {
  return sequelize.define<TrashItemRow>(
    'TrashItem',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      kind: { type: DataTypes.STRING(8), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      originalPath: { type: DataTypes.TEXT, allowNull: false },
      deletedAt: { type: DataTypes.DATE(3), allowNull: false },
      purgingUntil: { type: DataTypes.DATE(3), allowNull: true },
    },
    { tableName: 'trash_items', timestamps: false },
  );
}
