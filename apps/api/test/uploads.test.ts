import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredUploads } from '../src/uploads/cancel-upload.ts';
import { expectError, md5Of, newUser, sha1Of, type Client } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const CHUNK = 64 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    CHUNK_SIZE: String(CHUNK),
    UPLOAD_MAX_BYTES: String(100 * CHUNK),
  });
});
afterAll(() => server.stop());

const chunkOf = (bytes: Buffer, index: number) =>
  bytes.subarray(index * CHUNK, (index + 1) * CHUNK);

async function init(client: Client, bytes: Buffer, name = 'big.bin') {
  const res = await client.call('POST', '/api/uploads', {
    name,
    size: bytes.length,
    sha1: sha1Of(bytes),
  });
  return res;
}

async function sendAll(client: Client, uploadId: string, bytes: Buffer, indexes: number[]) {
  const results = await Promise.all(
    indexes.map((i) => client.putChunk(uploadId, i, chunkOf(bytes, i))),
  );
  expect(results.map((r) => r.status)).toEqual(indexes.map(() => 204));
}

const download = async (client: Client, fileId: string) =>
  Buffer.from(await (await client.raw('GET', `/api/files/${fileId}/content`)).arrayBuffer());

describe('POST /api/uploads', () => {
  it('201 with the server-chosen chunk size and count', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(5 * CHUNK + 100);
    const res = await init(user, bytes);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      uploadId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      chunkSize: CHUNK,
      chunkCount: 6,
      uploaded: [],
      partial: [],
      checksums: ['crc32c', 'md5', 'sha1'],
    });
  });

  it('the same user, sha1 and size gets the same open upload back with its received chunks', async () => {
    const user = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    const bytes = randomBytes(3 * CHUNK);
    const first = (await init(user, bytes)).body;
    await sendAll(user, first.uploadId, bytes, [0, 2]);
    const again = await init(user, bytes, 'renamed.bin');
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first, uploaded: [0, 2] });
    expect((await init(other, bytes)).body.uploadId).not.toBe(first.uploadId);
  });

  it('200 {instant: true} when the content already exists', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(1000);
    await user.upload('have.bin', bytes);
    const res = await init(user, bytes);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ instant: true });
  });

  it('400 for bad input, 413 above UPLOAD_MAX_BYTES', async () => {
    const user = await newUser(server.baseUrl);
    const sha1 = sha1Of('x');
    expectError(await user.call('POST', '/api/uploads', { name: 'a', size: -1, sha1 }), 400);
    expectError(await user.call('POST', '/api/uploads', { name: 'a', size: 1.5, sha1 }), 400);
    expectError(
      await user.call('POST', '/api/uploads', { name: '../x', size: 1, sha1 }),
      400,
      'invalid_name',
    );
    expectError(await user.call('POST', '/api/uploads', { name: 'a', size: 1, sha1: 'nope' }), 400);
    expectError(
      await user.call('POST', '/api/uploads', { name: 'a', size: 100 * CHUNK + 1, sha1 }),
      413,
    );
  });
});

describe('PUT /api/uploads/:id/chunks/:index and complete', () => {
  it('chunks out of order and in parallel, a chunk twice, then complete → 201 {file}', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(6 * CHUNK + 12345);
    const { uploadId } = (await init(user, bytes, '视频.mp4')).body;
    await sendAll(user, uploadId, bytes, [6, 3, 0, 5]);
    await sendAll(user, uploadId, bytes, [1, 2, 4, 3, 3]);
    const done = await user.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    expect(done.body.file).toMatchObject({
      name: '视频.mp4',
      size: bytes.length,
      sha1: sha1Of(bytes),
    });
    expect((await download(user, done.body.file.id)).equals(bytes)).toBe(true);
    // The chunks are deleted right after the answer.
    await expect.poll(() => server.chunkFiles(uploadId)).toEqual([]);
    expect((await user.call('GET', '/api/me')).body.user.usedBytes).toBe(bytes.length);
  });

  it('progress lists uploaded and missing chunks with the percent by bytes', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(3 * CHUNK + CHUNK / 2);
    const { uploadId } = (await init(user, bytes)).body;
    await sendAll(user, uploadId, bytes, [1, 3]);
    const status = await user.call('GET', `/api/uploads/${uploadId}`);
    expect(status.body).toEqual({
      uploadId,
      name: 'big.bin',
      size: bytes.length,
      chunkSize: CHUNK,
      chunkCount: 4,
      uploaded: [1, 3],
      missing: [0, 2],
      partial: [],
      bytesReceived: CHUNK + CHUNK / 2,
      percent: Math.floor(((CHUNK + CHUNK / 2) / bytes.length) * 10000) / 100,
    });
  });

  it('400 bad_digest on an MD5 mismatch or a missing Content-MD5, and nothing is kept', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const { uploadId } = (await init(user, bytes)).body;
    expectError(
      await user.putChunk(uploadId, 0, chunkOf(bytes, 0), md5Of(Buffer.from('other'))),
      400,
      'bad_digest',
    );
    const noHeader = await user.raw('PUT', `/api/uploads/${uploadId}/chunks/0`, {
      body: new Uint8Array(chunkOf(bytes, 0)),
    });
    expect(noHeader.status).toBe(400);
    expect((await user.call('GET', `/api/uploads/${uploadId}`)).body.uploaded).toEqual([]);
    expect(await server.chunkFiles(uploadId)).toEqual([]);
  });

  it('400 for a wrong size or an index out of range', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK + 10);
    const { uploadId } = (await init(user, bytes)).body;
    expectError(
      await user.putChunk(uploadId, 0, chunkOf(bytes, 0).subarray(1)),
      400,
      'invalid_chunk',
    );
    expectError(await user.putChunk(uploadId, 2, chunkOf(bytes, 1)), 400, 'invalid_chunk');
    expectError(await user.putChunk(uploadId, 3, chunkOf(bytes, 2)), 400, 'invalid_chunk');
    expectError(await user.putChunk(uploadId, -1 as number, chunkOf(bytes, 0)), 400);
    const tooLong = await user.raw('PUT', `/api/uploads/${uploadId}/chunks/2`, {
      // A streamed body has no Content-Length: the size is only known once it has arrived.
      headers: { 'content-md5': md5Of(bytes.subarray(0, 20)) },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 20));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(tooLong.status).toBe(400);
    expect((await user.call('GET', `/api/uploads/${uploadId}`)).body.uploaded).toEqual([]);
  });

  it('409 chunks_missing with the missing indexes', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(4 * CHUNK);
    const { uploadId } = (await init(user, bytes)).body;
    await sendAll(user, uploadId, bytes, [0, 2]);
    const res = await user.call('POST', `/api/uploads/${uploadId}/complete`);
    expectError(res, 409, 'chunks_missing');
    expect(res.body.error.missing).toEqual([1, 3]);
  });

  it('422 sha1_mismatch when the chunks are not the declared content; the upload is discarded', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const liar = Buffer.from(bytes);
    liar[5] ^= 0xff;
    const { uploadId } = (
      await user.call('POST', '/api/uploads', {
        name: 'x',
        size: bytes.length,
        sha1: sha1Of(bytes),
      })
    ).body;
    await sendAll(user, uploadId, liar, [0, 1]);
    expectError(await user.call('POST', `/api/uploads/${uploadId}/complete`), 422, 'sha1_mismatch');
    expectError(await user.call('GET', `/api/uploads/${uploadId}`), 404);
    expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
    expect(await server.chunkFiles(uploadId)).toEqual([]);
  });

  it('two concurrent completes make one file and one row', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(8 * CHUNK);
    const { uploadId } = (await init(user, bytes)).body;
    await sendAll(user, uploadId, bytes, [...Array(8).keys()]);
    const results = await Promise.all(
      [1, 2, 3].map(() => user.call('POST', `/api/uploads/${uploadId}/complete`)),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(new Set(ok.map((r) => r.body.file.id)).size).toBe(1);
    expect((await user.call('GET', '/api/files')).body.items).toHaveLength(1);
    const [row] = await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1Of(bytes).slice(-2)} WHERE sha1 = ?`,
      [sha1Of(bytes)],
    );
    expect(row!.ref_count).toBe(1);
    // Asked again later, complete answers with the same file.
    expect((await user.call('POST', `/api/uploads/${uploadId}/complete`)).body.file.id).toBe(
      ok[0]!.body.file.id,
    );
  });

  it('a zero-byte file and a one-chunk file', async () => {
    const user = await newUser(server.baseUrl);
    const empty = Buffer.alloc(0);
    const zero = (await init(user, empty, 'empty.txt')).body;
    expect(zero).toMatchObject({ chunkCount: 0, uploaded: [] });
    const done = await user.call('POST', `/api/uploads/${zero.uploadId}/complete`);
    expect(done.status).toBe(201);
    expect(done.body.file).toMatchObject({ size: 0, sha1: sha1Of(empty) });

    const small = randomBytes(100);
    const one = (await init(user, small, 'one.bin')).body;
    expect(one.chunkCount).toBe(1);
    await sendAll(user, one.uploadId, small, [0]);
    const file = (await user.call('POST', `/api/uploads/${one.uploadId}/complete`)).body.file;
    expect((await download(user, file.id)).equals(small)).toBe(true);
  });

  it('deduplicates content that was completed by someone else meanwhile', async () => {
    const a = await newUser(server.baseUrl);
    const b = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const ua = (await init(a, bytes)).body;
    const ub = (await init(b, bytes)).body;
    await sendAll(a, ua.uploadId, bytes, [0, 1]);
    await sendAll(b, ub.uploadId, bytes, [0, 1]);
    const blobs = await server.blobCount();
    await a.call('POST', `/api/uploads/${ua.uploadId}/complete`);
    await b.call('POST', `/api/uploads/${ub.uploadId}/complete`);
    expect(await server.blobCount()).toBe(blobs + 1);
  });

  it('another user’s upload answers 404 on every route', async () => {
    const owner = await newUser(server.baseUrl);
    const intruder = await newUser(server.baseUrl);
    const bytes = randomBytes(CHUNK);
    const { uploadId } = (await init(owner, bytes)).body;
    expectError(await intruder.putChunk(uploadId, 0, bytes), 404, 'not_found');
    expectError(await intruder.call('GET', `/api/uploads/${uploadId}`), 404, 'not_found');
    expectError(await intruder.call('POST', `/api/uploads/${uploadId}/complete`), 404, 'not_found');
    expectError(await intruder.call('DELETE', `/api/uploads/${uploadId}`), 404, 'not_found');
    expect((await owner.call('GET', `/api/uploads/${uploadId}`)).status).toBe(200);
  });
});

describe('DELETE /api/uploads/:id and expiry', () => {
  it('cancel removes the upload and its chunks', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const { uploadId } = (await init(user, bytes)).body;
    await sendAll(user, uploadId, bytes, [0]);
    expect((await user.call('DELETE', `/api/uploads/${uploadId}`)).status).toBe(204);
    expectError(await user.call('GET', `/api/uploads/${uploadId}`), 404);
    expectError(await user.putChunk(uploadId, 1, chunkOf(bytes, 1)), 404);
    expect(await server.chunkFiles(uploadId)).toEqual([]);
  });

  it('the sweeper deletes expired uploads and their chunks, also when run twice at once', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const stale = (await init(user, bytes)).body.uploadId;
    await sendAll(user, stale, bytes, [0]);
    const fresh = (await init(user, randomBytes(CHUNK))).body.uploadId;
    await server.query('UPDATE uploads SET expires_at = ? WHERE id = ?', [
      new Date(Date.now() - 1000),
      stale,
    ]);
    const swept = await Promise.all([
      sweepExpiredUploads(server.services.uploads),
      sweepExpiredUploads(server.services.uploads),
    ]);
    expect(swept[0] + swept[1]).toBe(1);
    expectError(await user.call('GET', `/api/uploads/${stale}`), 404);
    expect((await user.call('GET', `/api/uploads/${fresh}`)).status).toBe(200);
    expect(await server.chunkFiles(stale)).toEqual([]);
  });
});
