// Schema migrations, run at start-up (umzug); the schema is never changed by `sync({alter})`.
import { Umzug, SequelizeStorage, type MigrationFn } from 'umzug';
import type { QueryInterface, Sequelize } from 'sequelize';
import * as accounts from './migrations/001-accounts.ts';
import * as files from './migrations/002-files.ts';
import * as uploads from './migrations/003-uploads.ts';
import * as transfer from './migrations/004-transfer.ts';

export type Migration = MigrationFn<QueryInterface>;

const migrations = [
  { name: '001-accounts', ...accounts },
  { name: '002-files', ...files },
  { name: '003-uploads', ...uploads },
  { name: '004-transfer', ...transfer },
];

export async function migrate(sequelize: Sequelize): Promise<void> {
  const umzug = new Umzug({
    migrations,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  await umzug.up();
}
