// Opens the metadata database: SQLite under DATA_DIR by default, MySQL/MariaDB with DATABASE_URL.
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { Config } from '../config.ts';

// Sequelize opens one SQLite connection per transaction; without a busy timeout a second writer fails
// at once with SQLITE_BUSY instead of waiting its turn.
class PatientDatabase extends sqlite3.Database {
  constructor(filename: string, mode?: number, callback?: (err: Error | null) => void) {
    super(filename, mode, callback);
    this.configure('busyTimeout', 15_000);
  }
}

export function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Sequelize {
  const common: Options = {
    logging: false,
    define: { underscored: true, charset: 'utf8mb4' },
    // Deadlocks are retried as whole transactions (db/transactions.ts), never as single queries.
    retry: { max: 5, match: [/SQLITE_BUSY/] },
  };
  if (config.databaseUrl) {
    return new Sequelize(config.databaseUrl, {
      ...common,
      dialect: 'mysql',
      timezone: '+00:00',
      dialectOptions: { charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false },
      pool: { max: 20, min: 0, idle: 10_000, acquire: 30_000 },
    });
  }
  return new Sequelize({
    ...common,
    dialect: 'sqlite',
    dialectModule: { ...sqlite3, Database: PatientDatabase },
    storage: path.join(config.dataDir, 'filestore.sqlite'),
    // Take the write lock at BEGIN: SQLite cannot upgrade a read transaction that another writer
    // overtook, so a deferred transaction would fail instead of waiting.
    transactionType: Transaction.TYPES.IMMEDIATE,
  });
}

/** SQLite pragmas that last for the database file; run once at start-up. */
export async function tuneDatabase(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== 'sqlite') return;
  await sequelize.query('PRAGMA journal_mode = WAL');
  await sequelize.query('PRAGMA synchronous = NORMAL');
}
