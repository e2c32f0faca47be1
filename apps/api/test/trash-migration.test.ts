// Migration 010 on a drive that existed before the trash: entries deleted back then (their
// references already dropped) go, live entries and every folder stay, alive.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sequelize } from 'sequelize';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let database: TestDatabase;
let dataDir: string;
let sequelize: Sequelize;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-010-'));
  sequelize = openDatabase({ dataDir, databaseUrl: database.url, databaseReplicaUrls: [] });
});
afterAll(async () => {
  await sequelize.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const query = async (sql: string, replacements: unknown[] = []) =>
  (await sequelize.query(sql, { replacements }))[0];

it('010 keeps live entries and folders (alive) and drops entries deleted before it', async () => {
  // The main database without content tables: 010 only touches the main tables.
  const placement = { main: true, shardTables: [] };
  expect((await migrate(sequelize, placement, '009-upload-pipeline-v2')).at(-1)).toBe(
    '009-upload-pipeline-v2',
  );
  const now = new Date();
  await query(
    'INSERT INTO folders (id, user_id, parent_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ['oldfolder', 'olduser', '', 'Docs', now, now],
  );
  const entry =
    'INSERT INTO user_files (id, user_id, folder_id, name, sha1, size, alive, deleted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const sha1 = 'a'.repeat(40);
  await query(entry, ['livefile', 'olduser', 'oldfolder', 'a.txt', sha1, 1, 1, null, now, now]);
  await query(entry, ['deadfile', 'olduser', 'oldfolder', 'a.txt', sha1, 1, null, now, now, now]);

  expect(await migrate(sequelize, placement, '010-trash')).toEqual(['010-trash']);
  expect(await query('SELECT id, alive, trash_id FROM folders')).toEqual([
    { id: 'oldfolder', alive: 1, trash_id: null },
  ]);
  expect(await query('SELECT id, alive, trash_id FROM user_files')).toEqual([
    { id: 'livefile', alive: 1, trash_id: null },
  ]);
  expect(await query('SELECT name, holder FROM housekeeping_leases')).toEqual([
    { name: 'housekeeping', holder: null },
  ]);
  // A trashed folder's name no longer blocks its siblings.
  await query('UPDATE folders SET alive = NULL, trash_id = id');
  await query(
    'INSERT INTO folders (id, user_id, parent_id, name, alive, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ['newfolder', 'olduser', '', 'Docs', 1, now, now],
  );
  await expect(
    query(
      'INSERT INTO folders (id, user_id, parent_id, name, alive, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ['twin', 'olduser', '', 'Docs', 1, now, now],
    ),
  ).rejects.toThrow();
});
