// Issue 11 (perf): two PUTs of one chunk on two API processes sharing the database and STAGING_DIR
// take turns (a claim on the chunk's row, uploads/chunk-lock.ts): 120 concurrent PUTs of one chunk,
// some of them slow and some with wrong bytes, and PUTs of its neighbours, split across both
// processes, leave the right bytes, answer no 5xx, and complete finds the declared SHA-1. (Without
// the claim, a wrong PUT on one process overwrote the bytes of a slow right one on the other, which
// then recorded the chunk whole.)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, newUser, sha1Of } from './support/client.ts';
import { putRaw, putSlowly, uploadChecksum } from './support/chunks.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { runMigrate, spawnApi, type ApiProcess } from './support/process.ts';
import { sleep } from './support/raw-http.ts';

const CHUNK = 256 * 1024;
let dataDir: string;
let database: TestDatabase;
const apis: ApiProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-claims-'));
  database = await createTestDatabase();
  const env = {
    DATA_DIR: dataDir,
    CHUNK_SIZE: String(CHUNK),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  };
  // The migrations first, alone (on a loaded machine they can take most of a start's minute).
  expect((await runMigrate(env)).code).toBe(0);
  for (let i = 0; i < 2; i++) apis.push(await spawnApi(env));
}, 240_000);
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
  const checksumOf = (i: number) => uploadChecksum('crc32c', chunk(i));

  // First the race on its own: a wrong PUT of chunk 1 on process 1 while a slow right one on
  // process 0 is half-way. It must not write over the right one's bytes (it waits its turn).
  const slow = putSlowly(users[0]!, uploadId, 1, chunk(1), await checksumOf(1), 1500);
  await sleep(300);
  const wrong = await putRaw(users[1]!, uploadId, 1, randomBytes(CHUNK), {
    'upload-checksum': await checksumOf(1),
  });
  expect(wrong.status).toBe(460);
  expect((await slow).status).toBe(204);

  // The database pools open their connections first: 20 opened at once on a loaded machine may
  // time out (503 database_unavailable, which clients retry), which is not what this test is about.
  for (const client of users) {
    for (let round = 0; round < 5; round++) {
      const looks = Array.from({ length: 20 }, () =>
        client.call('GET', `/api/uploads/${uploadId}`),
      );
      if ((await Promise.all(looks)).every((answer) => answer.status === 200)) break;
    }
  }

  // Then 140 at once. Every tenth PUT of chunk 1 is slow and goes to process 0; every seventh sends other bytes with
  // the checksum of the right ones to process 1 (answered 460: its bytes must never stay); the
  // others, and the PUTs of chunks 0 and 2, alternate between the processes.
  const puts: { index: number; wrong?: boolean; slow?: boolean }[] = [];
  for (let i = 0; i < 120; i++)
    puts.push({ index: 1, wrong: i % 7 === 3, slow: i % 10 === 0 && i % 7 !== 3 });
  for (let i = 0; i < 20; i++) puts.push({ index: i % 2 === 0 ? 0 : 2 });
  const answers = await Promise.all(
    puts.map(async ({ index, wrong, slow }, i) => {
      const right = chunk(index);
      const checksum = await uploadChecksum('crc32c', right);
      const res = slow
        ? await putSlowly(users[0]!, uploadId, index, right, checksum)
        : await putRaw(
            users[wrong ? 1 : i % 2]!,
            uploadId,
            index,
            wrong ? randomBytes(right.length) : right,
            {
              'upload-checksum': checksum,
            },
          );
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
}, 180_000);
