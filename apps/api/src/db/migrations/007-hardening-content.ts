import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions } from './columns.ts';

// share_resumes: the addresses that may resume a share download already counted. Times are epoch
// milliseconds, compared as numbers the same way on every database.
export const up: Migration = async ({ context: { qi } }) => {
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
};
