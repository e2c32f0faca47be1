import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions, timestamps } from './columns.ts';

export const up: Migration = async ({ context: { qi } }) => {
  await qi.createTable(
    'uploads',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      chunk_size: { type: DataTypes.BIGINT, allowNull: false },
      chunk_count: { type: DataTypes.INTEGER, allowNull: false },
      // open → completing → completed; a failed completion goes back to open or is discarded.
      state: { type: DataTypes.STRING(16), allowNull: false },
      file_id: { type: DataTypes.STRING(32), allowNull: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.addIndex('uploads', ['user_id', 'sha1', 'size', 'state'], { name: 'uploads_resume' });
  await qi.addIndex('uploads', ['expires_at'], { name: 'uploads_expiry' });
  await qi.createTable(
    'upload_chunks',
    {
      upload_id: { type: DataTypes.STRING(32), primaryKey: true },
      chunk_index: { type: DataTypes.INTEGER, primaryKey: true },
      size: { type: DataTypes.BIGINT, allowNull: false },
      md5: { type: DataTypes.STRING(24), allowNull: false },
      ...timestamps,
    },
    tableOptions,
  );
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.dropTable('upload_chunks');
  await qi.dropTable('uploads');
};
