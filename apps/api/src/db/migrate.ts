// Schema migrations (umzug), run by `npm run migrate` once per deployment, or at start-up with
// MIGRATE=auto (db/schema.ts); the schema is never changed by `sync({alter})`.
// Every database runs the same list with its own `schema_migrations`: the main database creates
// everything except the content tables it does not hold; a FILE_DB_URLS database creates only the
// content tables that live in it (db/shard-router.ts).
import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import type { MigrationFn } from 'umzug';
import * as accounts from './migrations/001-accounts.ts';
import * as files from './migrations/002-files.ts';
import * as uploads from './migrations/003-uploads.ts';
import * as transfer from './migrations/004-transfer.ts';
import * as foldersShares from './migrations/005-folders-shares.ts';
import * as hardeningAccounts from './migrations/006-hardening-accounts.ts';
import * as hardeningContent from './migrations/007-hardening-content.ts';
import * as uploadClaims from './migrations/008-upload-claims.ts';
import * as uploadPipelineV2 from './migrations/009-upload-pipeline-v2.ts';
import * as trash from './migrations/010-trash.ts';
import * as versions from './migrations/011-versions.ts';
import * as chunkClaims from './migrations/012-chunk-claims.ts';

export interface MigrationContext {
  qi: QueryInterface;
  /** The database of users, user files and uploads (DATABASE_URL), not only content tables. */
  main: boolean;
  /** The content tables `file_XX` that live in this database. */
  shardTables: readonly string[];
}

export type Migration = MigrationFn<MigrationContext>;

interface MigrationSteps {
  up: Migration;
  down: Migration;
}

/** A migration of tables that exist in the main database only. */
const mainOnly = ({ up, down }: MigrationSteps): MigrationSteps => ({
  up: async (params) => {
    if (params.context.main) await up(params);
  },
  down: async (params) => {
    if (params.context.main) await down(params);
  },
});

const migrations = [
  { name: '001-accounts', ...mainOnly(accounts) },
  { name: '002-files', ...files },
  { name: '003-uploads', ...mainOnly(uploads) },
  { name: '004-transfer', ...transfer },
  { name: '005-folders-shares', ...mainOnly(foldersShares) },
  { name: '006-hardening-accounts', ...mainOnly(hardeningAccounts) },
  { name: '007-hardening-content', ...mainOnly(hardeningContent) },
  { name: '008-upload-claims', ...mainOnly(uploadClaims) },
  { name: '009-upload-pipeline-v2', ...mainOnly(uploadPipelineV2) },
  { name: '010-trash', ...mainOnly(trash) },
  { name: '011-versions', ...mainOnly(versions) },
  { name: '012-chunk-claims', ...mainOnly(chunkClaims) },
];

export type Placement = Omit<MigrationContext, 'qi'>;

const MIGRATIONS_TABLE = 'schema_migrations';

/** The migrations this database has not run yet, read from umzug's table (none there before the first). */
export async function pendingMigrations(sequelize: Sequelize): Promise<string[]> {
  const ran = (await sequelize.getQueryInterface().tableExists(MIGRATIONS_TABLE))
    ? await sequelize.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`, {
        type: QueryTypes.SELECT,
      })
    : [];
  const names = new Set(ran.map((row) => row.name));
  return migrations.map((migration) => migration.name).filter((name) => !names.has(name));
}

/** Runs the migrations this database has not run yet (up to `to`, when given); their names. */
export async function migrate(
  sequelize: Sequelize,
  placement: Placement,
  to?: string,
): Promise<string[]> {
  if ((await pendingMigrations(sequelize)).length === 0) return [];
  // Loaded only when there is something to run: umzug brings its command-line parser along
  // (@rushstack/ts-command-line, argparse…), ~3.5 MiB of heap an up-to-date start does without.
  const { Umzug, SequelizeStorage } = await import('umzug');
  const umzug = new Umzug({
    migrations,
    context: { qi: sequelize.getQueryInterface(), ...placement },
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATIONS_TABLE }),
    logger: undefined,
  });
  const ran = await umzug.up(to ? { to } : {});
  return ran.map((migration) => migration.name);
}
