// Issue 11 (upload pipeline v2): one staging file per upload. A chunk row now says how many of the
// chunk's bytes the staging file holds (`received`; whole when it equals `size`), the SHA-1 may be
// given only at complete, and the upload carries its running SHA-1: the state of the hasher that
// follows the contiguous prefix, its offset, and the lease of the one process advancing it.
// No column changes nullability (on SQLite that rebuilds the table and loses its composite key):
// an unknown SHA-1 and a chunk sent without Content-MD5 are stored as '' (uploads/models.ts).
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';

export const up: Migration = async ({ context: { qi } }) => {
  // Chunks of uploads in flight sit in the old per-chunk files, not in a staging file: their
  // clients see them missing and send them again.
  await qi.bulkDelete('upload_chunks', {});
  await qi.addColumn('upload_chunks', 'received', {
    type: DataTypes.BIGINT,
    allowNull: false,
    defaultValue: 0,
  });
  await qi.addColumn('uploads', 'hashed_bytes', {
    type: DataTypes.BIGINT,
    allowNull: false,
    defaultValue: 0,
  });
  await qi.addColumn('uploads', 'hash_state', { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn('uploads', 'hash_lease_id', { type: DataTypes.STRING(32), allowNull: true });
  await qi.addColumn('uploads', 'hash_leased_until', {
    type: DataTypes.DATE(3),
    allowNull: true,
  });
};

export const down: Migration = async ({ context: { qi } }) => {
  for (const column of ['hash_leased_until', 'hash_lease_id', 'hash_state', 'hashed_bytes'])
    await qi.removeColumn('uploads', column);
  await qi.bulkDelete('uploads', { sha1: '' });
  await qi.bulkDelete('upload_chunks', {});
  await qi.removeColumn('upload_chunks', 'received');
};
