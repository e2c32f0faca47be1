import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions } from './columns.ts';

// window_counters: atomic fixed-window counters (db/window-counter.ts), e.g. a user's instant-upload
// probes. share_resumes: the addresses that may resume a share download already counted.
// Times are epoch milliseconds, compared as numbers the same way on every database.
export const up: Migration = async ({ context: { qi } }) => {
  await qi.createTable(
    'window_counters',
    {
      counter_key: { type: DataTypes.STRING(191), primaryKey: true },
      used: { type: DataTypes.INTEGER, allowNull: false },
      window_ends: { type: DataTypes.BIGINT, allowNull: false },
    },
    tableOptions,
  );
  await qi.createTable(
    'share_resumes',
    {
      share_token: { type: DataTypes.STRING(64), primaryKey: true },
      address: { type: DataTypes.STRING(64), primaryKey: true },
      expires_at: { type: DataTypes.BIGINT, allowNull: false },
    },
    tableOptions,
  );
  await qi.addIndex('share_resumes', ['expires_at'], { name: 'share_resumes_expiry' });
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.dropTable('share_resumes');
  await qi.dropTable('window_counters');
};
