// FILE_DB_URLS (分库): the 256 content tables spread over two databases on the MariaDB server,
// `file_XX` in database parseInt(XX, 16) mod 2, while users and user_files stay in DATABASE_URL.
// Reference counts live in another database than the entries they count (content/contents.ts).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, sha1Of } from './support/client.ts';
import { deleteForever } from './support/trash.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let fileDbs: TestDatabase[];

const databaseName = (url: string) => new URL(url).pathname.slice(1);
const shardOf = (sha1: string) => `file_${sha1.slice(-2)}`;
/** 0 or 1: the file database that holds this content's row. */
const dbIndexOf = (sha1: string) => parseInt(sha1.slice(-2), 16) % 2;

async function inDatabase<T = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const connection = await mysql.createConnection(url);
  try {
    return (await connection.query(sql, values))[0] as T[];
  } finally {
    await connection.end();
  }
}

/** The content row of sha1 as found in file database `index` (undefined when absent there). */
async function contentRow(index: number, sha1: string) {
  const [row] = await inDatabase<{ ref_count: number }>(
    fileDbs[index]!.url!,
    `SELECT ref_count FROM ${shardOf(sha1)} WHERE sha1 = ?`,
    [sha1],
  );
  return row;
}

const tablesIn = async (url: string) =>
  (
    await inDatabase<{ name: string }>(
      url,
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [databaseName(url)],
    )
  ).map((row) => row.name);

/** Random contents whose SHA-1 puts them in file database 0 and 1 respectively. */
function oneContentPerDatabase(): [Buffer, Buffer] {
  const found: (Buffer | undefined)[] = [undefined, undefined];
  while (!found[0] || !found[1]) {
    const bytes = randomBytes(20_000);
    found[dbIndexOf(sha1Of(bytes))] ??= bytes;
  }
  return found as [Buffer, Buffer];
}

beforeAll(async () => {
  fileDbs = [await createTestDatabase(), await createTestDatabase()];
  server = await startTestServer({ FILE_DB_URLS: fileDbs.map((db) => db.url).join(',') });
});
afterAll(async () => {
  await server.stop();
  for (const db of fileDbs) await db.drop();
});

describe('FILE_DB_URLS', () => {
  it('the migrations create each content table in its database and nothing else there', async () => {
    const [even, odd] = await Promise.all(fileDbs.map((db) => tablesIn(db.url!)));
    const shards = (tables: string[]) => tables.filter((t) => /^file_[0-9a-f]{2}$/.test(t)).sort();
    expect(shards(even!)).toHaveLength(128);
    expect(shards(odd!)).toHaveLength(128);
    expect(shards(even!).every((t) => parseInt(t.slice(-2), 16) % 2 === 0)).toBe(true);
    expect(shards(odd!).every((t) => parseInt(t.slice(-2), 16) % 2 === 1)).toBe(true);
    expect(even).not.toContain('user_files');
    expect(even).not.toContain('users');
    const main = await server.query<{ n: number }>(
      // Content shards only: file_versions (the versions of user files) lives with user_files.
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name REGEXP '^file_[0-9a-f]{2}$'",
    );
    expect(Number(main[0]!.n)).toBe(0);
  });

  it('rows land in the right database and table; list, delete and instant upload work across them', async () => {
    const alice = await newUser(server.baseUrl);
    const bob = await newUser(server.baseUrl);
    const contents = oneContentPerDatabase();
    const uploaded = [];
    for (const [i, bytes] of contents.entries()) {
      const res = await alice.upload(`in-db-${i}.bin`, bytes);
      expect(res.status).toBe(201);
      uploaded.push(res.body.file);
      const sha1 = sha1Of(bytes);
      expect(await contentRow(i, sha1)).toEqual({ ref_count: 1 });
      expect(await tablesIn(fileDbs[1 - i]!.url!)).not.toContain(shardOf(sha1));
    }
    const listed = await alice.call('GET', '/api/files');
    expect(listed.body.items.map((f: { name: string }) => f.name)).toEqual([
      'in-db-1.bin',
      'in-db-0.bin',
    ]);

    // Instant upload by another user: one more reference in the right database.
    for (const [i, bytes] of contents.entries()) {
      expect((await bob.instantUpload(`copy-${i}.bin`, bytes)).status).toBe(201);
      expect(await contentRow(i, sha1Of(bytes))).toEqual({ ref_count: 2 });
    }

    // Deletes (purged from the trash) drop references; the last one takes the row and the bytes.
    const blobs = await server.blobCount();
    for (const [i, file] of uploaded.entries()) {
      expect((await deleteForever(alice, file.id)).status).toBe(204);
      expect(await contentRow(i, file.sha1)).toEqual({ ref_count: 1 });
    }
    for (const file of (await bob.call('GET', '/api/files')).body.items) {
      expect((await deleteForever(bob, file.id)).status).toBe(204);
    }
    for (const [i, bytes] of contents.entries()) {
      expect(await contentRow(i, sha1Of(bytes))).toBeUndefined();
    }
    expect(await server.blobCount()).toBe(blobs - 2);
  });

  it('concurrent uploads and deletes in both databases keep counts and bytes consistent', async () => {
    const users = await Promise.all([1, 2, 3].map(() => newUser(server.baseUrl)));
    const contents = oneContentPerDatabase();
    const first = await Promise.all(
      users.flatMap((user) => contents.map((bytes, i) => user.upload(`c${i}.bin`, bytes))),
    );
    expect(first.map((res) => res.status)).toEqual(Array(6).fill(201));

    // Everyone deletes their copies while uploading the same contents again.
    const churn = await Promise.all([
      ...first.map((res, n) => deleteForever(users[Math.floor(n / 2)]!, res.body.file.id)),
      ...users.flatMap((user) => contents.map((bytes, i) => user.upload(`again${i}.bin`, bytes))),
    ]);
    expect(churn.map((res) => res.status).sort()).toEqual([
      ...Array(6).fill(201),
      ...Array(6).fill(204),
    ]);
    for (const [i, bytes] of contents.entries()) {
      const sha1 = sha1Of(bytes);
      const live = await server.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM user_files WHERE sha1 = ? AND alive = 1',
        [sha1],
      );
      expect(await contentRow(i, sha1)).toEqual({ ref_count: Number(live[0]!.n) });
      expect(Number(live[0]!.n)).toBe(3);
    }
    for (const user of users) {
      for (const file of (await user.call('GET', '/api/files')).body.items) {
        const download = await user.raw('GET', `/api/files/${file.id}/content`);
        expect(sha1Of(new Uint8Array(await download.arrayBuffer()))).toBe(file.sha1);
      }
    }
  });

  it('a reference whose entry cannot be written is given back', async () => {
    // A fault injected after the content step: the main database refuses this one entry.
    await server.query(
      "CREATE TRIGGER refuse_entry BEFORE INSERT ON user_files FOR EACH ROW IF NEW.name = 'refused.bin' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF",
    );
    try {
      const alice = await newUser(server.baseUrl);
      const [kept, fresh] = oneContentPerDatabase();
      expect((await alice.upload('kept.bin', kept)).status).toBe(201);
      const blobs = await server.blobCount();

      // Existing content: the count goes back to 1. New content: its row and bytes go again.
      expect((await alice.upload('refused.bin', kept)).status).toBe(500);
      expect(await contentRow(0, sha1Of(kept))).toEqual({ ref_count: 1 });
      expect((await alice.upload('refused.bin', fresh)).status).toBe(500);
      expect(await contentRow(1, sha1Of(fresh))).toBeUndefined();
      expect(await server.blobCount()).toBe(blobs);
      expect(await server.stagedFiles()).toEqual([]);
    } finally {
      await server.query('DROP TRIGGER refuse_entry');
    }
  });
});
