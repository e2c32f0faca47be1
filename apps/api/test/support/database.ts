// A fresh database per test server: a SQLite file in its own DATA_DIR, or a new MariaDB database
// on the server at TEST_MYSQL_URL (default: the local MariaDB, root, no password).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export const testDatabaseKind = (): 'sqlite' | 'mariadb' =>
  process.env.TEST_DATABASE === 'mariadb' ? 'mariadb' : 'sqlite';

const serverUrl = () => process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  url: string | undefined;
  drop: () => Promise<void>;
}

/** A fresh database of `kind` (default: the TEST_DATABASE pass's). */
export async function createTestDatabase(kind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'sqlite') return { url: undefined, drop: async () => {} };
  const name = `fs_it_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(serverUrl());
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  return {
    url: `${serverUrl()}/${name}`,
    drop: async () => {
      const conn = await mysql.createConnection(serverUrl());
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
