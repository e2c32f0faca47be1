import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, newUser, sha1Of } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi } from './support/process.ts';

const CHUNK = 256 * 1024;
let dataDir: string;
let database: TestDatabase;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-restart-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

it('an upload survives SIGKILL of the server: it resumes exactly and completes', async () => {
  const env = {
    DATA_DIR: dataDir,
    CHUNK_SIZE: String(CHUNK),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  };
  const bytes = randomBytes(10 * CHUNK + 777);
  const chunk = (i: number) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK);

  const first = await spawnApi(env);
  const user = await newUser(first.baseUrl);
  const { uploadId, chunkCount } = (
    await user.call('POST', '/api/uploads', {
      name: 'survivor.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
    })
  ).body;
  expect(chunkCount).toBe(11);
  for (const i of [0, 1, 2, 3, 4, 9])
    expect((await user.putChunk(uploadId, i, chunk(i))).status).toBe(204);
  await first.kill('SIGKILL');

  const second = await spawnApi(env, first.port);
  try {
    const again = new Client(second.baseUrl, user.token);
    const status = (await again.call('GET', `/api/uploads/${uploadId}`)).body;
    expect(status.uploaded).toEqual([0, 1, 2, 3, 4, 9]);
    expect(status.missing).toEqual([5, 6, 7, 8, 10]);
    for (const i of status.missing)
      expect((await again.putChunk(uploadId, i, chunk(i))).status).toBe(204);
    const done = await again.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    const content = await again.raw('GET', `/api/files/${done.body.file.id}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  } finally {
    await second.kill('SIGTERM');
  }
});
