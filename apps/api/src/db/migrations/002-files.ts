import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { contentColumns } from '../shard-router.ts';
import { tableOptions, timestamps } from './columns.ts';

// queued_at came later, with 004-transfer.
const { refCount, queuedAt: _queuedAt, ...contentRest } = contentColumns;

export const up: Migration = async ({ context: { qi, main, shardTables } }) => {
  for (const table of shardTables) {
    await qi.createTable(
      table,
      { ...contentRest, ref_count: { type: refCount.type, allowNull: false }, ...timestamps },
      tableOptions,
    );
  }
  if (!main) return;
  await qi.createTable(
    'user_files',
    {
      // Insertion order, for keyset pagination "newest first"; never shown to clients.
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      // 1 while the entry is live, NULL once deleted: NULLs never collide in a unique index, so the
      // index below keeps live names unique while any number of deleted ones share a name.
      alive: { type: DataTypes.TINYINT, allowNull: true },
      deleted_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.addIndex('user_files', ['user_id', 'name', 'alive'], {
    unique: true,
    name: 'user_files_live_name',
  });
  await qi.addIndex('user_files', ['user_id', 'alive', 'seq'], { name: 'user_files_listing' });
  await qi.createTable(
    'instant_challenges',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      sha1: { type: DataTypes.CHAR(40), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
};

export const down: Migration = async ({ context: { qi, main, shardTables } }) => {
  const mainTables = main ? ['instant_challenges', 'user_files'] : [];
  for (const table of [...mainTables, ...shardTables]) await qi.dropTable(table);
};
