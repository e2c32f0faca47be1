// Issue 13: earlier contents of a file (replace on conflict keeps the old one), and the onConflict
// an upload was started with, applied when it completes. A version holds one reference to its
// content and counts toward its owner's quota, like a file.
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions } from './columns.ts';

export const up: Migration = async ({ context: { qi } }) => {
  await qi.createTable(
    'file_versions',
    {
      // The order versions were made in: "newest first" without comparing timestamps.
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      file_id: { type: DataTypes.STRING(32), allowNull: false },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      // When this content was written (the file's updatedAt when it was replaced).
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await qi.addIndex('file_versions', ['file_id', 'seq'], { name: 'file_versions_of_file' });
  await qi.addColumn('uploads', 'on_conflict', {
    type: DataTypes.STRING(8),
    allowNull: false,
    defaultValue: 'keep',
  });
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.removeColumn('uploads', 'on_conflict');
  await qi.dropTable('file_versions');
};
