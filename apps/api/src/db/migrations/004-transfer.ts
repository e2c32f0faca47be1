// Issue 4: content rows double as the transfer outbox. A row that is `staged` (bytes on local disk,
// waiting to move to the object store) or `deleting` (no reference left, object still in the store)
// is a job; `queued_at` records when the broker confirmed it, and the relay publishes every pending
// row that has none, so no job is lost between the database commit and the publish.
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';

export const up: Migration = async ({ context: { qi, shardTables } }) => {
  for (const table of shardTables) {
    await qi.addColumn(table, 'queued_at', { type: DataTypes.DATE(3), allowNull: true });
    await qi.addIndex(table, ['state', 'queued_at'], { name: `${table}_pending` });
  }
};

export const down: Migration = async ({ context: { qi, shardTables } }) => {
  for (const table of shardTables) {
    await qi.removeIndex(table, `${table}_pending`);
    await qi.removeColumn(table, 'queued_at');
  }
};
