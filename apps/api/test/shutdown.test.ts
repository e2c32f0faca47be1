// Issue 12: "Graceful shutdown for every role: stop accepting, finish in-flight requests (uploads
// get a bounded grace), close pools; SIGTERM tested." A real API process, signalled for real.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newUser, sha1Of } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi } from './support/process.ts';

let database: TestDatabase;
let env: Record<string, string>;

beforeEach(async () => {
  database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-shutdown-'));
  env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
});
afterEach(async () => {
  await database.drop();
  await rm(env.DATA_DIR!, { recursive: true, force: true });
});

const exitOf = (child: import('node:child_process').ChildProcess) =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : once(child, 'exit').then(([code]) => code as number | null);

it('SIGTERM mid-download: the download completes, a new connection is refused, the process exits 0', async () => {
  const api = await spawnApi(env);
  const user = await newUser(api.baseUrl);
  const bytes = randomBytes(64 * 1024 * 1024);
  const uploaded = await user.upload('large.bin', bytes);
  expect(uploaded.status).toBe(201);

  // A reader that takes the first bytes, then stops reading: the rest waits in the server.
  const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http
      .get(`${api.baseUrl}/api/files/${uploaded.body.file.id}/content`, {
        headers: { authorization: `Bearer ${user.token}` },
      })
      .on('response', resolve)
      .on('error', reject),
  );
  expect(res.statusCode).toBe(200);
  const hash = createHash('sha1');
  let received = 0;
  res.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    received += chunk.length;
  });
  res.pause();
  const exited = exitOf(api.child);
  api.child.kill('SIGTERM');

  // The listening socket is closed at once: a new connection is refused.
  await expect
    .poll(() =>
      fetch(`${api.baseUrl}/healthz`).then(
        () => 'accepted',
        (err) => err.cause?.code,
      ),
    )
    .toBe('ECONNREFUSED');
  expect(received).toBeLessThan(bytes.length);

  res.resume();
  await once(res, 'end');
  const endedAt = Date.now();
  expect(received).toBe(bytes.length);
  expect(hash.digest('hex')).toBe(sha1Of(bytes));
  expect(await exited).toBe(0);
  // The kept-alive connection, idle once the download is done, does not hold the process up.
  expect(Date.now() - endedAt).toBeLessThan(2500);
});

it('SIGTERM with a stalled upload: its connection is cut after SHUTDOWN_GRACE and the process exits', async () => {
  const api = await spawnApi({ ...env, SHUTDOWN_GRACE: '1s' });
  const user = await newUser(api.baseUrl);
  // A form upload that announces 10 MB and sends a few bytes, then nothing.
  const req = http.request(`${api.baseUrl}/api/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': 'multipart/form-data; boundary=x',
      'content-length': String(10 * 1024 * 1024),
    },
  });
  const cut = new Promise<string>((resolve) => {
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.on('response', (res) => resolve(`answered ${res.statusCode}`));
  });
  req.write('--x\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\n\r\nabc');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const signalledAt = Date.now();
  const exited = exitOf(api.child);
  api.child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const took = Date.now() - signalledAt;
  // Not cut at once (the grace is honoured), and not left to the 60 s IDLE_TIMEOUT either.
  expect(took).toBeGreaterThanOrEqual(900);
  expect(took).toBeLessThan(10_000);
  expect(await cut).toMatch(/ECONNRESET|socket hang up/);
});
