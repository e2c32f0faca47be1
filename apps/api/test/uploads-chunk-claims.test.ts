// Issue 11 (perf): two PUTs of one chunk on two API processes sharing the database and STAGING_DIR
// take turns (a claim on the chunk's row, uploads/chunk-lock.ts): 120 concurrent PUTs of one chunk,
// some of them with wrong bytes, and PUTs of its neighbours, split across both processes, leave the
// right bytes, answer no 5xx, and complete finds the declared SHA-1.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, newUser, sha1Of } from './support/client.ts';
import { putRaw, uploadChecksum } from './support/chunks.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi, type ApiProcess } from './support/process.ts';

const CHUNK = 256 * 1024;
let dataDir: string;
let database: TestDatabase;
let apis: ApiProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-claims-'));
  database = await createTestDatabase();
  const env = {
    DATA_DIR: dataDir,
    CHUNK_SIZE: String(CHUNK),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  };
  // One after the other: the first runs the migrations.
  apis = [await spawnApi(env)];
  apis.push(await spawnApi(env));
});
afterAll(async () => {
  for (const api of apis) await api.kill('SIGTERM');
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

it('120 concurrent PUTs of one chunk and of its neighbours across two processes', async () => {
  const bytes = randomBytes(4 * CHUNK + 777);
  const chunk = (i: number) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK);
  const user = await newUser(apis[0]!.baseUrl);
  const users = apis.map((api) => new Client(api.baseUrl, user.token));
  const { uploadId } = (
    await user.call('POST', '/api/uploads', { name: 'claimed.bin', size: bytes.length })
  ).body;

  // PUT i goes to process i % 2; every seventh PUT of chunk 1 sends other bytes with the checksum
  // of the right ones (answered 460, and it must never leave its bytes behind).
  const puts: { index: number; wrong: boolean }[] = [];
  for (let i = 0; i < 120; i++) puts.push({ index: 1, wrong: i % 7 === 3 });
  for (let i = 0; i < 20; i++) puts.push({ index: i % 2 === 0 ? 0 : 2, wrong: false });
  const answers = await Promise.all(
    puts.map(async ({ index, wrong }, i) => {
      const right = chunk(index);
      const body = wrong ? randomBytes(right.length) : right;
      const checksum = await uploadChecksum('crc32c', right);
      const res = await putRaw(users[i % 2]!, uploadId, index, body, {
        'upload-checksum': checksum,
      });
      return { index, wrong, status: res.status, code: res.body?.error?.code };
    }),
  );
  for (const answer of answers) {
    if (answer.wrong) expect(answer).toMatchObject({ status: 460, code: 'checksum_mismatch' });
    else expect(answer).toMatchObject({ status: 204 });
  }

  for (const i of [3, 4]) {
    const res = await putRaw(users[i % 2]!, uploadId, i, chunk(i), {
      'upload-checksum': await uploadChecksum('crc32c', chunk(i)),
    });
    expect(res.status).toBe(204);
  }
  const status = (await users[1]!.call('GET', `/api/uploads/${uploadId}`)).body;
  expect(status.uploaded).toEqual([0, 1, 2, 3, 4]);
  const done = await users[1]!.call('POST', `/api/uploads/${uploadId}/complete`, {
    sha1: sha1Of(bytes),
  });
  expect(done.status).toBe(201);
  expect(done.body.file.sha1).toBe(sha1Of(bytes));
  const content = await users[0]!.raw('GET', `/api/files/${done.body.file.id}/content`);
  expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
}, 120_000);
