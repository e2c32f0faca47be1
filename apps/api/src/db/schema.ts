// Issue 12: "Migrations run once per deployment (`npm run migrate`, a Kubernetes Job / compose
// one-shot), not by every replica at start; a replica that starts against an older schema refuses
// with one line." Runs under a lock, so several at once (a Job retried, replicas with MIGRATE=auto)
// leave each migration run exactly once.
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { migrate, pendingMigrations, type Placement } from './migrate.ts';
import type { ShardRouter } from './shard-router.ts';

/** One database of the deployment and what it holds. */
export interface PlacedDatabase {
  database: Sequelize;
  placement: Placement;
}

/** The main database, then those of FILE_DB_URLS with the content tables each holds. */
export function placedDatabases(
  main: Sequelize,
  fileDatabases: Sequelize[],
  shards: ShardRouter,
): PlacedDatabase[] {
  return [...new Set([main, ...fileDatabases])].map((database) => ({
    database,
    placement: { main: database === main, shardTables: shards.tablesIn(database) },
  }));
}

const LOCK_WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 100;

/** MySQL/MariaDB: a named lock of the server, held by one connection (a transaction's). */
async function withServerLock<T>(main: Sequelize, run: () => Promise<T>): Promise<T> {
  const name = `filestore_migrate_${main.getDatabaseName()}`;
  return main.transaction(async (transaction) => {
    const [row] = await main.query<{ held: number | null }>('SELECT GET_LOCK(?, ?) AS held', {
      replacements: [name, LOCK_WAIT_MS / 1000],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (row?.held !== 1) throw new Error(`the migration lock ${name} was not granted in time`);
    try {
      return await run();
    } finally {
      await main.query('SELECT RELEASE_LOCK(?)', { replacements: [name], transaction });
    }
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** SQLite: a lock file next to the database, naming its holder; a dead holder's file is taken over. */
async function withFileLock<T>(dataDir: string, run: () => Promise<T>): Promise<T> {
  const lockPath = path.join(dataDir, 'migrate.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const handle = await open(lockPath, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return undefined;
      throw err;
    });
    if (handle) {
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    }
    const holder = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    // An empty file is a holder between its open and its write: wait for it like for any other.
    if (holder > 0 && !isAlive(holder)) await rm(lockPath, { force: true });
    else if (Date.now() > deadline) throw new Error(`${lockPath} is still held by ${holder}`);
    else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await run();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** Runs every database's pending migrations, one process at a time; the names of those run. */
export async function migrateDeployment(
  databases: PlacedDatabase[],
  dataDir: string,
): Promise<string[]> {
  const main = databases[0]!.database;
  const run = async () => {
    const ran: string[] = [];
    for (const { database, placement } of databases)
      ran.push(...(await migrate(database, placement)));
    return ran;
  };
  return main.getDialect() === 'sqlite' ? withFileLock(dataDir, run) : withServerLock(main, run);
}

/** The first migration some database has not run, or undefined when the schema is current. */
export async function firstMissingMigration(
  databases: PlacedDatabase[],
): Promise<string | undefined> {
  for (const { database } of databases) {
    const [missing] = await pendingMigrations(database);
    if (missing) return missing;
  }
  return undefined;
}
