// Issue 10, item 8: a completion holds its upload by a claim that lapses within seconds unless its
// holder renews it, so a completion cut off by a crash is taken over at once, and only the holder
// of the claim can mark the upload completed (in the transaction that writes the file).
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';

export const up: Migration = async ({ context: { qi } }) => {
  await qi.addColumn('uploads', 'claim_id', { type: DataTypes.STRING(32), allowNull: true });
  await qi.addColumn('uploads', 'claimed_until', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.removeColumn('uploads', 'claimed_until');
  await qi.removeColumn('uploads', 'claim_id');
};
