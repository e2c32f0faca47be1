// Issue 11: "the running SHA-1 … with its state saved so a restart or another API process sharing
// the staging directory continues where it stopped". A process is SIGKILLed while it hashes a chunk
// as it streams; a second process on the same DATA_DIR and database takes the lapsed lease over
// and hashes only what the first had not saved.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { Client, newUser, sha1Of } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi } from './support/process.ts';
import { RawConnection, requestHead, sleep } from './support/raw-http.ts';

const CHUNK = 256 * 1024;
let dataDir: string;
let database: TestDatabase;
let sql: Sequelize;

const envOf = () => ({
  DATA_DIR: dataDir,
  CHUNK_SIZE: String(CHUNK),
  ...(database.url ? { DATABASE_URL: database.url } : {}),
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-hasher-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await sql?.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function hashRow(uploadId: string) {
  sql ??= openDatabase(loadConfig(envOf()));
  const [rows] = await sql.query('SELECT hashed_bytes, hash_lease_id FROM uploads WHERE id = ?', {
    replacements: [uploadId],
  });
  const [row] = rows as { hashed_bytes: number; hash_lease_id: string | null }[];
  return { hashed: Number(row!.hashed_bytes), leased: row!.hash_lease_id !== null };
}

it('the running SHA-1 survives SIGKILL mid-chunk and a second process continues it', async () => {
  const bytes = randomBytes(6 * CHUNK + 999);
  const chunk = (i: number) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK);
  const readLog = path.join(dataDir, 'reads.log');
  await writeFile(readLog, '');

  const first = await spawnApi(envOf());
  const user = await newUser(first.baseUrl);
  const { uploadId } = (
    await user.call('POST', '/api/uploads', {
      name: 'hashed.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
    })
  ).body;
  for (const i of [0, 1, 2, 5, 6])
    expect((await user.putChunk(uploadId, i, chunk(i))).status).toBe(204);
  expect(await hashRow(uploadId)).toEqual({ hashed: 3 * CHUNK, leased: false });

  // Chunk 3 starts where the hasher stands: its PUT holds the lease and hashes as bytes stream.
  const conn = await RawConnection.open(first.baseUrl);
  conn.write(
    requestHead('PUT', `/api/uploads/${uploadId}/chunks/3`, {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/octet-stream',
      'content-length': CHUNK,
      'upload-checksum': `sha1 ${Buffer.from(sha1Of(chunk(3)), 'hex').toString('base64')}`,
    }),
  );
  conn.write(chunk(3).subarray(0, CHUNK / 2));
  await expect.poll(() => hashRow(uploadId)).toEqual({ hashed: 3 * CHUNK, leased: true });
  await sleep(200);
  await first.kill('SIGKILL');
  conn.close();

  const preload = pathToFileURL(
    fileURLToPath(new URL('./support/trace-staging-reads.ts', import.meta.url)),
  ).href;
  const second = await spawnApi({ ...envOf(), STAGING_READ_LOG: readLog }, undefined, {
    imports: [preload],
  });
  try {
    const again = new Client(second.baseUrl, user.token);
    const status = (await again.call('GET', `/api/uploads/${uploadId}`)).body;
    expect(status.uploaded).toEqual([0, 1, 2, 5, 6]);
    for (const i of [3, 4]) expect((await again.putChunk(uploadId, i, chunk(i))).status).toBe(204);
    const done = await again.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    expect(done.body.file.sha1).toBe(sha1Of(bytes));
    const content = await again.raw('GET', `/api/files/${done.body.file.id}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
    // The second process read back only what the first had not hashed: nothing before chunk 3
    // (chunks 3 and 4, sent in order where the hasher stood, may be hashed as they stream).
    const reads = (await readFile(readLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([id]) => id === uploadId)
      .map(([, start, end]) => [Number(start), Number(end)] as const);
    expect(reads.length).toBeGreaterThan(0);
    expect(Math.min(...reads.map(([start]) => start))).toBeGreaterThanOrEqual(3 * CHUNK);
    expect(Math.max(...reads.map(([, end]) => end))).toBe(bytes.length);
  } finally {
    await second.kill('SIGTERM');
  }
  // Two process starts, and the killed PUT's claim on chunk 3 lapsing (CHUNK_CLAIM_MS) first.
}, 120_000);
