import { DataTypes, QueryTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';

// Roles (issue 10, item 14): the first account is the administrator. `first_account` is true on
// that one row and NULL on every other; its unique index lets only one registration claim it, however
// many run at once. On an existing database, the oldest account becomes the administrator.
export const up: Migration = async ({ context: { qi } }) => {
  await qi.addColumn('users', 'role', {
    type: DataTypes.STRING(16),
    allowNull: false,
    defaultValue: 'user',
  });
  await qi.addColumn('users', 'first_account', { type: DataTypes.BOOLEAN, allowNull: true });
  await qi.addIndex('users', ['first_account'], { unique: true, name: 'users_first_account' });
  const [oldest] = await qi.sequelize.query<{ id: string }>(
    'SELECT id FROM users ORDER BY created_at, id LIMIT 1',
    { type: QueryTypes.SELECT },
  );
  if (oldest) {
    await qi.bulkUpdate('users', { role: 'admin', first_account: true }, { id: oldest.id });
  }
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.removeIndex('users', 'users_first_account');
  await qi.removeColumn('users', 'first_account');
  await qi.removeColumn('users', 'role');
};
