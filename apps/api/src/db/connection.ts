// Opens the metadata database: SQLite under DATA_DIR by default, MySQL/MariaDB with DATABASE_URL.
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { Config } from '../config.ts';
import { useReplicas } from './replicas.ts';

// Sequelize opens one SQLite connection per transaction; without a busy timeout a second writer fails
// at once with SQLITE_BUSY instead of waiting its turn.
class PatientDatabase extends sqlite3.Database {
  constructor(filename: string, mode?: number, callback?: (err: Error | null) => void) {
    super(filename, mode, callback);
    this.configure('busyTimeout', 15_000);
  }
}

const COMMON: Options = {
  logging: false,
  define: { underscored: true, charset: 'utf8mb4' },
  // Deadlocks are retried as whole transactions (db/transactions.ts), never as single queries.
  retry: { max: 5, match: [/SQLITE_BUSY/] },
};

export function openDatabase(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseReplicaUrls'>,
): Sequelize {
  if (config.databaseUrl) {
    const sequelize = openMysql(config.databaseUrl);
    if (config.databaseReplicaUrls.length > 0) useReplicas(sequelize, config.databaseReplicaUrls);
    return sequelize;
  }
  return new Sequelize({
    ...COMMON,
    dialect: 'sqlite',
    dialectModule: { ...sqlite3, Database: PatientDatabase },
    storage: path.join(config.dataDir, 'filestore.sqlite'),
    // Take the write lock at BEGIN: SQLite cannot upgrade a read transaction that another writer
    // overtook, so a deferred transaction would fail instead of waiting.
    transactionType: Transaction.TYPES.IMMEDIATE,
  });
}

/** A MySQL/MariaDB database: the primary (DATABASE_URL) or one of the FILE_DB_URLS. */
export function openMysql(url: string): Sequelize {
  return new Sequelize(url, {
    ...COMMON,
    dialect: 'mysql',
    timezone: '+00:00',
    dialectOptions: {
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      // A server that is down must not hold a request for long: it fails over or answers 503.
      connectTimeout: 3000,
    },
    pool: { max: 20, min: 0, idle: 10_000, acquire: 30_000 },
  });
}

/**
 * The databases of the 256 content tables, in FILE_DB_URLS order (db/shard-router.ts); without
 * FILE_DB_URLS, the main database alone. A URL given twice, or equal to DATABASE_URL, is opened once.
 */
export function openFileDatabases(
  config: Pick<Config, 'databaseUrl' | 'fileDbUrls'>,
  main: Sequelize,
): Sequelize[] {
  const open = new Map<string | undefined, Sequelize>([[config.databaseUrl, main]]);
  if (config.fileDbUrls.length === 0) return [main];
  return config.fileDbUrls.map((url) => {
    if (!open.has(url)) open.set(url, openMysql(url));
    return open.get(url)!;
  });
}

/** SQLite pragmas that last for the database file; run once at start-up. */
export async function tuneDatabase(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== 'sqlite') return;
  await sequelize.query('PRAGMA journal_mode = WAL');
  await sequelize.query('PRAGMA synchronous = NORMAL');
}
