// Issue 11 (perf): a PUT of a chunk holds the chunk's row by a claim that lapses within seconds
// unless its holder renews it, so two PUTs of one chunk on two API processes sharing the database
// and STAGING_DIR never write the chunk's bytes at once (uploads/put-chunk.ts).
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';

export const up: Migration = async ({ context: { qi } }) => {
  await qi.addColumn('upload_chunks', 'claim_id', { type: DataTypes.STRING(32), allowNull: true });
  await qi.addColumn('upload_chunks', 'claimed_until', {
    type: DataTypes.DATE(3),
    allowNull: true,
  });
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.removeColumn('upload_chunks', 'claimed_until');
  await qi.removeColumn('upload_chunks', 'claim_id');
};
