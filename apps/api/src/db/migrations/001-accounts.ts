import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions, timestamps } from './columns.ts';

export const up: Migration = async ({ context: { qi } }) => {
  await qi.createTable(
    'users',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      username: { type: DataTypes.STRING(64), allowNull: false },
      // Case- and form-folded username: "Alice" and "alice" are one account on every database.
      username_key: { type: DataTypes.STRING(128), allowNull: false, unique: true },
      password_hash: { type: DataTypes.STRING(128), allowNull: false },
      password_salt: { type: DataTypes.STRING(64), allowNull: false },
      quota_bytes: { type: DataTypes.BIGINT, allowNull: true },
      used_bytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.createTable(
    'sessions',
    {
      token_hash: { type: DataTypes.CHAR(64), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      last_seen_at: { type: DataTypes.DATE(3), allowNull: false },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.addIndex('sessions', ['user_id']);
  await qi.createTable(
    'throttles',
    {
      key: { type: DataTypes.STRING(200), primaryKey: true },
      failures: { type: DataTypes.INTEGER, allowNull: false },
      reset_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await qi.createTable(
    'app_secrets',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      value: { type: DataTypes.STRING(128), allowNull: false },
    },
    tableOptions,
  );
};

export const down: Migration = async ({ context: { qi } }) => {
  for (const table of ['app_secrets', 'throttles', 'sessions', 'users']) await qi.dropTable(table);
};
