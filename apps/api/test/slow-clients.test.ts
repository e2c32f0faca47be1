// Issue 10, item 10: slow clients cannot hold connections forever. With IDLE_TIMEOUT=1s, a body that
// stops arriving, headers that trickle in and a reader that stops reading are cut within about two
// seconds; an upload or a download that keeps moving, and a client waiting for our answer, are not.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { md5Of, newUser, sha1Of, type Client } from './support/client.ts';
import { RawConnection, requestHead, sleep } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const IDLE_MS = 1000;
let server: TestServer;
let user: Client & { username: string };

beforeAll(async () => {
  server = await startTestServer({ IDLE_TIMEOUT: `${IDLE_MS}ms` });
  user = await newUser(server.baseUrl);
});
afterAll(() => server.stop());

/** A one-chunk upload of `bytes`, and the head of its chunk PUT. */
async function chunkPut(bytes: Buffer): Promise<{ uploadId: string; head: string }> {
  const init = await user.call('POST', '/api/uploads', {
    name: 'slow.bin',
    size: bytes.length,
    sha1: sha1Of(bytes),
  });
  const { uploadId } = init.body;
  const head = requestHead('PUT', `/api/uploads/${uploadId}/chunks/0`, {
    authorization: `Bearer ${user.token}`,
    'content-md5': md5Of(bytes),
    'content-length': bytes.length,
  });
  return { uploadId, head };
}

/** Milliseconds until the server closes the connection (at most `withinMs`). */
async function msUntilClosed(conn: RawConnection, withinMs: number): Promise<number> {
  const started = Date.now();
  await Promise.race([conn.closed, sleep(withinMs)]);
  return conn.isClosed ? Date.now() - started : Number.POSITIVE_INFINITY;
}

describe('bodies and headers', () => {
  it('a body that stops arriving is cut after IDLE_TIMEOUT; the bytes that came are kept for a resume', async () => {
    const bytes = randomBytes(10);
    const { uploadId, head } = await chunkPut(bytes);
    const conn = await RawConnection.open(server.baseUrl);
    conn.write(head);
    conn.write(bytes.subarray(0, 3));
    const ms = await msUntilClosed(conn, 5000);
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS * 0.9);
    expect(ms).toBeLessThan(2 * IDLE_MS + 500);
    // Issue 11: "a chunk cut off mid-way keeps the bytes that arrived".
    await expect
      .poll(async () => (await user.call('GET', `/api/uploads/${uploadId}`)).body.partial)
      .toEqual([{ index: 0, bytes: 3 }]);
    expect((await user.call('GET', `/api/uploads/${uploadId}`)).body.uploaded).toEqual([]);
  });

  it('an upload that sends one byte every 300 ms for 3 s is never cut', async () => {
    const bytes = randomBytes(10);
    const { uploadId, head } = await chunkPut(bytes);
    const conn = await RawConnection.open(server.baseUrl);
    conn.write(head);
    for (const byte of bytes) {
      await sleep(300);
      conn.write(Buffer.of(byte));
    }
    expect((await conn.response()).status).toBe(204);
    expect((await user.call('GET', `/api/uploads/${uploadId}`)).body.uploaded).toEqual([0]);
    conn.close();
  });

  it('headers that trickle in, a line every 300 ms, are cut within the bound', async () => {
    const conn = await RawConnection.open(server.baseUrl);
    conn.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    const trickle = setInterval(() => conn.write('X-Slow: yes\r\n'), 300);
    try {
      expect(await msUntilClosed(conn, 5000)).toBeLessThan(2 * IDLE_MS + 500);
    } finally {
      clearInterval(trickle);
    }
  });

  it('a client waiting for a slow answer is not cut', async () => {
    const file = (await user.upload('locked.txt', 'x')).body.file;
    // Holds the file's row (SQLite: the write lock) so the rename has to wait for it.
    const holding = server.services.sequelize.transaction(async (transaction) => {
      await server.services.sequelize.query('UPDATE user_files SET name = name WHERE id = ?', {
        replacements: [file.id],
        transaction,
      });
      await sleep(2.5 * IDLE_MS);
    });
    const started = Date.now();
    const renamed = await user.call('PATCH', `/api/files/${file.id}`, { name: 'renamed.txt' });
    await holding;
    expect(Date.now() - started).toBeGreaterThan(2 * IDLE_MS);
    expect(renamed.status).toBe(200);
    expect(renamed.body.file.name).toBe('renamed.txt');
  });
});

describe('downloads', () => {
  const SIZE = 16 * 1024 * 1024;
  let content: Buffer;
  let fileId: string;

  beforeAll(async () => {
    content = randomBytes(SIZE);
    fileId = (await user.upload('big.bin', content)).body.file.id;
  });

  /** A paused connection that has asked for the file (the server closes it after the answer). */
  async function download(): Promise<RawConnection> {
    const conn = await RawConnection.open(server.baseUrl);
    conn.socket.pause();
    conn.write(
      requestHead('GET', `/api/files/${fileId}/content`, {
        authorization: `Bearer ${user.token}`,
        connection: 'close',
      }),
    );
    return conn;
  }

  it('a reader that keeps reading, slower than the server writes, gets every byte', async () => {
    const conn = await download();
    const started = Date.now();
    while (!conn.isClosed) {
      // 1 MiB, then a pause shorter than the idle time: about 4 MiB/s.
      const target = conn.receivedBytes + 1024 * 1024;
      conn.socket.resume();
      await conn.until(() => conn.receivedBytes >= target);
      conn.socket.pause();
      await sleep(IDLE_MS / 4);
    }
    // The server was held back on its writes for much longer than the idle time.
    expect(Date.now() - started).toBeGreaterThan(2 * IDLE_MS);
    const res = await conn.response();
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(SIZE);
    expect(createHash('sha1').update(res.body).digest('hex')).toBe(sha1Of(content));
  });

  it('a reader that stops reading is cut after IDLE_TIMEOUT', async () => {
    const conn = await download();
    await sleep(3 * IDLE_MS);
    conn.socket.resume();
    await conn.closed;
    expect(conn.receivedBytes).toBeLessThan(SIZE);
  });
});

describe('IDLE_TIMEOUT', () => {
  it('defaults to 60 s and takes durations of at least 1 s', () => {
    expect(loadConfig({}).idleTimeoutMs).toBe(60_000);
    expect(loadConfig({ IDLE_TIMEOUT: '30s' }).idleTimeoutMs).toBe(30_000);
  });

  it.each(['500ms', 'soon', '0'])('a wrong value names the variable: %s', (value) => {
    expect(() => loadConfig({ IDLE_TIMEOUT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ IDLE_TIMEOUT: value })).toThrow(/^IDLE_TIMEOUT: /);
  });
});
