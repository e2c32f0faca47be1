// Issue 12: "Migrations run once per deployment (`npm run migrate`), not by every replica at
// start; a replica that starts against an older schema refuses with one line."
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './support/database.ts';
import { runMigrate, spawnApi, spawnApiUntilExit } from './support/process.ts';

const MIGRATIONS = [
  '001-accounts',
  '002-files',
  '003-uploads',
  '004-transfer',
  '005-folders-shares',
  '006-hardening-accounts',
  '007-hardening-content',
  '008-upload-claims',
  '009-upload-pipeline-v2',
  '010-trash',
  '011-versions',
  '012-chunk-claims',
];

let database: TestDatabase;
let env: Record<string, string>;

beforeEach(async () => {
  database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-migrate-'));
  env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
});
afterEach(async () => {
  await database.drop();
  await rm(env.DATA_DIR!, { recursive: true, force: true });
});

/** Runs one statement straight on the test database (MariaDB or the SQLite file). */
async function sql(statement: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (database.url) {
    const connection = await mysql.createConnection(database.url);
    const [rows] = await connection.query(statement, params);
    await connection.end();
    return rows as Record<string, unknown>[];
  }
  const { default: sqlite3 } = await import('sqlite3');
  const db = new sqlite3.Database(path.join(env.DATA_DIR!, 'filestore.sqlite'));
  const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) =>
    db.all(statement, params, (err, found) =>
      err ? reject(err) : resolve(found as Record<string, unknown>[]),
    ),
  );
  await new Promise((resolve) => db.close(resolve));
  return rows;
}

const migrationsRun = async () =>
  (await sql('SELECT name FROM schema_migrations ORDER BY name')).map((row) => row.name);

it('four `npm run migrate` at once: each migration runs exactly once, all four succeed', async () => {
  const runs = await Promise.all([1, 2, 3, 4].map(() => runMigrate(env)));
  for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  // One of them ran the migrations; the others waited on the lock and found nothing left to do.
  const outputs = runs.map((run) => run.stdout.trim()).sort();
  expect(outputs).toEqual([
    `filestore: migrations run: ${MIGRATIONS.join(', ')}`,
    'filestore: the schema is up to date',
    'filestore: the schema is up to date',
    'filestore: the schema is up to date',
  ]);
  expect(await migrationsRun()).toEqual(MIGRATIONS);
});

it('MIGRATE=check: a process refuses an unmigrated database with one line, then starts once migrated', async () => {
  const refused = await spawnApiUntilExit({ ...env, MIGRATE: 'check' });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(
    'filestore: cannot start: the database schema is older than this version (migration 001-accounts has not run): run `npm run migrate` first\n',
  );
  expect((await runMigrate(env)).code).toBe(0);
  const api = await spawnApi({ ...env, MIGRATE: 'check' });
  expect((await fetch(`${api.baseUrl}/api/files`)).status).toBe(401);
  await api.kill('SIGTERM');
});

it('a split role does not migrate (by default on MySQL) and names the one migration missing', async () => {
  expect((await runMigrate(env)).code).toBe(0);
  await sql('DELETE FROM schema_migrations WHERE name = ?', ['009-upload-pipeline-v2']);
  // SQLite's default stays MIGRATE=auto whatever the roles (one file, one host): say check there.
  const sqliteCheck: Record<string, string> =
    testDatabaseKind() === 'sqlite' ? { MIGRATE: 'check' } : {};
  const refused = await spawnApiUntilExit({ ...env, SERVICES: 'upload', ...sqliteCheck });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/migration 009-upload-pipeline-v2 has not run.*npm run migrate/);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
});

it('the embedded default (SERVICES=all) migrates at start: `npm start` needs no step', async () => {
  const api = await spawnApi(env);
  expect(await migrationsRun()).toEqual(MIGRATIONS);
  await api.kill('SIGTERM');
});
