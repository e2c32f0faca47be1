// Issue 10, item 1: no request stops the process. Each request below used to end in an uncaught
// TypeError (`req.socket` was null by the time the error path destroyed it) and the process exited,
// so they run against the real entry in a child process, on a small tmpfs that can really fill up.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, expectError, md5Of, newUser, sha1Of } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi, type ApiProcess } from './support/process.ts';
import { chunkOfBody, RawConnection, requestHead, sleep } from './support/raw-http.ts';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.ts';

const CHUNK = 1024 * 1024;
let tmpfs: Tmpfs;
let database: TestDatabase;
let api: ApiProcess;
let dataDir: string;

beforeAll(async () => {
  tmpfs = await mountTmpfs(32 * 1024 * 1024);
  database = await createTestDatabase();
  dataDir = path.join(tmpfs.dir, 'data');
  api = await spawnApi(
    {
      DATA_DIR: dataDir,
      CHUNK_SIZE: String(CHUNK),
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    },
    undefined,
    { capture: true },
  );
});
afterAll(async () => {
  await api?.kill('SIGTERM');
  await database?.drop();
  await tmpfs?.unmount();
});

async function newUpload(size = 2 * CHUNK) {
  const user = await newUser(api.baseUrl);
  const bytes = randomBytes(size);
  const init = await user.call('POST', '/api/uploads', {
    name: 'a.bin',
    size,
    sha1: sha1Of(bytes),
  });
  return { user, bytes, uploadId: init.body.uploadId as string };
}

/** The old crash came from a timer 2 s after the answer: give it the time to happen. */
async function expectStillServing() {
  await sleep(2500);
  expect(api.child.exitCode).toBeNull();
  expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
  // Handled where they happen, not by the last-resort handlers.
  expect(api.output()).not.toMatch(/uncaught|unhandled/);
}

/** The chunks the server holds bytes of, whole or in part. */
async function heldChunks(user: Client, uploadId: string): Promise<number[]> {
  const status = (await user.call('GET', `/api/uploads/${uploadId}`)).body;
  return [...status.uploaded, ...status.partial.map((chunk: { index: number }) => chunk.index)];
}

describe('no request stops the process', () => {
  it('a chunk PUT sent chunked with more bytes than the chunk: 400, then /healthz', async () => {
    const { user, bytes, uploadId } = await newUpload();
    const conn = await RawConnection.open(api.baseUrl);
    conn.write(
      requestHead('PUT', `/api/uploads/${uploadId}/chunks/0`, {
        authorization: `Bearer ${user.token}`,
        'content-md5': md5Of(bytes.subarray(0, CHUNK)),
        'transfer-encoding': 'chunked',
      }),
    );
    conn.write(chunkOfBody(randomBytes(3 * CHUNK)));
    const res = await conn.response();
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error.code).toBe('invalid_chunk');
    conn.write(chunkOfBody(Buffer.alloc(0)));
    await expectStillServing();
    expect(await heldChunks(user, uploadId)).toEqual([]);
    conn.close();
  });

  it('a malformed multipart part header while the body is still arriving: 400, then /healthz', async () => {
    const user = await newUser(api.baseUrl);
    const conn = await RawConnection.open(api.baseUrl);
    conn.write(
      requestHead('POST', '/api/files', {
        authorization: `Bearer ${user.token}`,
        'content-type': 'multipart/form-data; boundary=XYZ',
        'content-length': 1024 * 1024,
      }),
    );
    conn.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n');
    conn.write('this header has no colon\r\n\r\nfirst bytes');
    const res = await conn.response();
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error.code).toBe('invalid_request');
    conn.write(randomBytes(64 * 1024));
    await expectStillServing();
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([]);
    conn.close();
  });

  it('ENOSPC during a chunk PUT: 507 insufficient_storage, then /healthz', async () => {
    const { user, bytes, uploadId } = await newUpload();
    const chunk = bytes.subarray(0, CHUNK);
    await tmpfs.fill();
    try {
      const answer = await user.putChunk(uploadId, 0, chunk);
      await expectStillServing();
      expectError(answer, 507, 'insufficient_storage');
      expect(await heldChunks(user, uploadId)).toEqual([]);
    } finally {
      await tmpfs.unfill();
    }
    expect((await user.putChunk(uploadId, 0, chunk)).status).toBe(204);
  });
});

describe('last resort', () => {
  it('an uncaught exception or unhandled rejection is logged and the process keeps serving', async () => {
    const preload = pathToFileURL(
      fileURLToPath(new URL('./support/stray-errors.ts', import.meta.url)),
    ).href;
    const child = await spawnApi({ DATA_DIR: path.join(tmpfs.dir, 'stray') }, undefined, {
      imports: [preload],
      capture: true,
    });
    try {
      child.child.kill('SIGUSR2');
      for (let i = 0; i < 50 && !/stray rejection/.test(child.output()); i++) await sleep(100);
      const logged = child
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map(
          (line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } },
        );
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 60, // fatal
          msg: expect.stringMatching(/uncaught exception/),
          err: expect.objectContaining({ message: 'stray exception from the test' }),
        }),
      );
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 50, // error
          msg: expect.stringMatching(/unhandled promise rejection/),
          err: expect.objectContaining({ message: 'stray rejection from the test' }),
        }),
      );
      expect(child.child.exitCode).toBeNull();
      expect((await fetch(`${child.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await child.kill('SIGTERM');
    }
  });
});
