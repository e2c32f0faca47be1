// Issue 11, upload pipeline v2: one staging file per upload, chunks written in place; bytes of a
// cut-off chunk kept and resumed at an offset; Upload-Checksum; the SHA-1 given at complete; the
// running SHA-1 that follows the contiguous prefix so complete reads nothing again.
import { randomBytes, randomInt } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, expectError, md5Of, newUser, sha1Of } from './support/client.ts';
import { type Algorithm, putCutOff, putRaw, putSlowly, uploadChecksum } from './support/chunks.ts';
import { sleep } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const CHUNK = 256 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ CHUNK_SIZE: String(CHUNK) });
});
afterAll(() => server.stop());

const chunkOf = (bytes: Buffer, i: number) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK);

async function init(user: Client, bytes: Buffer, withSha1 = true) {
  const res = await user.call('POST', '/api/uploads', {
    name: 'v2.bin',
    size: bytes.length,
    ...(withSha1 ? { sha1: sha1Of(bytes) } : {}),
  });
  expect(res.status).toBe(201);
  return res.body.uploadId as string;
}

const status = async (user: Client, uploadId: string) =>
  (await user.call('GET', `/api/uploads/${uploadId}`)).body;

async function hashedBytes(uploadId: string): Promise<number> {
  const [row] = await server.query<{ hashed_bytes: number }>(
    'SELECT hashed_bytes FROM uploads WHERE id = ?',
    [uploadId],
  );
  return Number(row!.hashed_bytes);
}

async function downloaded(user: Client, fileId: string): Promise<Buffer> {
  const res = await user.raw('GET', `/api/files/${fileId}/content`);
  return Buffer.from(await res.arrayBuffer());
}

/** Counts the reads of staged bytes while `work` runs. */
async function countingReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: number }> {
  const { staging } = server.services.uploads;
  const read = staging.read;
  let reads = 0;
  staging.read = function (id, start, end) {
    if (end > start) reads += 1;
    return read.call(staging, id, start, end);
  };
  try {
    return { result: await work(), reads };
  } finally {
    staging.read = read;
  }
}

describe('one staging file per upload', () => {
  it('out-of-order and concurrent chunks land in one file, and the running SHA-1 catches up', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(7 * CHUNK + 1000);
    const uploadId = await init(user, bytes);
    const sends = [5, 2, 7, 3, 6, 4].map((i) => user.putChunk(uploadId, i, chunkOf(bytes, i)));
    expect((await Promise.all(sends)).map((answer) => answer.status)).toEqual(sends.map(() => 204));
    // Nothing is hashed while chunk 0 is missing; the staging dir holds this upload's one file.
    expect(await hashedBytes(uploadId)).toBe(0);
    expect(await readdir(server.services.config.stagingDir)).toEqual([uploadId]);
    for (const i of [1, 0])
      expect((await user.putChunk(uploadId, i, chunkOf(bytes, i))).status).toBe(204);
    // The gap closed: the whole prefix is hashed back from the staging file, in the background.
    await expect.poll(() => hashedBytes(uploadId), { timeout: 10_000 }).toBe(bytes.length);
    const { result: done, reads } = await countingReads(() =>
      user.call('POST', `/api/uploads/${uploadId}/complete`),
    );
    expect(done.status).toBe(201);
    expect(reads).toBe(0);
    expect((await downloaded(user, done.body.file.id)).equals(bytes)).toBe(true);
    await expect.poll(() => readdir(server.services.config.stagingDir)).toEqual([]);
  });

  it('an upload sent in order is hashed while it streams: complete reads nothing again', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(5 * CHUNK + 4321);
    const uploadId = await init(user, bytes);
    for (let i = 0; i < 6; i++) {
      expect((await user.putChunk(uploadId, i, chunkOf(bytes, i))).status).toBe(204);
      // Saved with the chunk's 204, not later.
      expect(await hashedBytes(uploadId)).toBe(Math.min(bytes.length, (i + 1) * CHUNK));
    }
    const { result: done, reads } = await countingReads(() =>
      user.call('POST', `/api/uploads/${uploadId}/complete`),
    );
    expect(done.status).toBe(201);
    expect(done.body.file.sha1).toBe(sha1Of(bytes));
    expect(reads).toBe(0);
  });

  it('in-order chunks sent while the one before still streams are hashed as they come, not read back', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(4 * CHUNK);
    const uploadId = await init(user, bytes);
    const checksumOf = (i: number) => uploadChecksum('crc32c', chunkOf(bytes, i));
    const { result: answers, reads } = await countingReads(async () => {
      // Chunk 0 pauses half-way; chunks 1, 2 and 3 start meanwhile, one after the other, and queue
      // behind it (each holds less than the queue's bound) until it hands the hasher over.
      const first = putSlowly(user, uploadId, 0, chunkOf(bytes, 0), await checksumOf(0), 700);
      const rest = [];
      for (const i of [1, 2, 3]) {
        await sleep(120);
        rest.push(
          putRaw(user, uploadId, i, chunkOf(bytes, i), { 'upload-checksum': await checksumOf(i) }),
        );
      }
      return Promise.all([first, ...rest]);
    });
    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204, 204]);
    expect(reads).toBe(0);
    expect(await hashedBytes(uploadId)).toBe(bytes.length);
    const done = await user.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.body.file.sha1).toBe(sha1Of(bytes));
  });
});

describe('a chunk cut off mid-way', () => {
  it('keeps the bytes that arrived; the chunk is resumed at the reported offset', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(3 * CHUNK);
    const uploadId = await init(user, bytes);
    expect((await user.putChunk(uploadId, 0, chunkOf(bytes, 0))).status).toBe(204);
    const chunk = chunkOf(bytes, 1);
    const sent = 1 + randomInt(CHUNK - 1);
    await putCutOff(user, uploadId, 1, chunk, sent);

    await expect.poll(async () => (await status(user, uploadId)).partial).toHaveLength(1);
    const after = await status(user, uploadId);
    const held: number = after.partial[0].bytes;
    expect(after.partial[0].index).toBe(1);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(sent);
    expect(after.uploaded).toEqual([0]);
    expect(after.missing).toEqual([1, 2]);
    expect(after.bytesReceived).toBe(CHUNK + held);
    // init answers the same to a client that comes back.
    const again = await user.call('POST', '/api/uploads', {
      name: 'v2.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
    });
    expect(again.body).toMatchObject({
      uploadId,
      uploaded: [0],
      partial: [{ index: 1, bytes: held }],
    });

    // Another offset than the one held: 409 with the right one.
    const checksum = await uploadChecksum('crc32c', chunk);
    const wrong = await putRaw(user, uploadId, 1, chunk.subarray(held - 1), {
      'upload-offset': String(held - 1),
      'upload-checksum': checksum,
    });
    expectError(wrong, 409, 'offset_mismatch');
    expect(wrong.body.error.offset).toBe(held);

    // The rest only, with the checksum of the whole chunk.
    const rest = await putRaw(user, uploadId, 1, chunk.subarray(held), {
      'upload-offset': String(held),
      'upload-checksum': checksum,
    });
    expect(rest.status).toBe(204);
    expect((await status(user, uploadId)).partial).toEqual([]);
    expect((await user.putChunk(uploadId, 2, chunkOf(bytes, 2))).status).toBe(204);
    const done = await user.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    expect((await downloaded(user, done.body.file.id)).equals(bytes)).toBe(true);
  });

  it('a resumed chunk whose whole does not match its checksum: 460, and nothing of it is kept', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const uploadId = await init(user, bytes);
    const chunk = chunkOf(bytes, 0);
    await putCutOff(user, uploadId, 0, chunk, CHUNK / 2);
    await expect.poll(async () => (await status(user, uploadId)).partial).toHaveLength(1);
    const held: number = (await status(user, uploadId)).partial[0].bytes;
    const other = Buffer.from(chunk);
    other[0] ^= 0xff; // the held prefix differs from what the checksum covers
    const answer = await putRaw(user, uploadId, 0, chunk.subarray(held), {
      'upload-offset': String(held),
      'upload-checksum': await uploadChecksum('crc32c', other),
    });
    expectError(answer, 460, 'checksum_mismatch');
    expect(await status(user, uploadId)).toMatchObject({
      uploaded: [],
      partial: [],
      bytesReceived: 0,
    });
    // Sent again from its start, as today's clients do, it is accepted.
    expect((await user.putChunk(uploadId, 0, chunk)).status).toBe(204);
  });
});

describe('per-chunk integrity', () => {
  it.each(['crc32c', 'md5', 'sha1'] as Algorithm[])(
    'Upload-Checksum %s: 204 when it matches, 460 checksum_mismatch when not',
    async (algorithm) => {
      const user = await newUser(server.baseUrl);
      const bytes = randomBytes(2 * CHUNK - 10);
      const uploadId = await init(user, bytes);
      const init2 = await user.call('POST', '/api/uploads', {
        name: 'v2.bin',
        size: bytes.length,
        sha1: sha1Of(bytes),
      });
      expect(init2.body.checksums).toContain(algorithm);
      const bad = await putRaw(user, uploadId, 0, chunkOf(bytes, 0), {
        'upload-checksum': await uploadChecksum(algorithm, chunkOf(bytes, 1)),
      });
      expectError(bad, 460, 'checksum_mismatch');
      expect(await status(user, uploadId)).toMatchObject({ uploaded: [], partial: [] });
      for (const i of [0, 1]) {
        const good = await putRaw(user, uploadId, i, chunkOf(bytes, i), {
          'upload-checksum': await uploadChecksum(algorithm, chunkOf(bytes, i)),
        });
        expect(good.status).toBe(204);
      }
      expect((await user.call('POST', `/api/uploads/${uploadId}/complete`)).status).toBe(201);
    },
  );

  it('400 unsupported_checksum for another algorithm, 400 for no integrity header at all', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(CHUNK);
    const uploadId = await init(user, bytes);
    expectError(
      await putRaw(user, uploadId, 0, bytes, { 'upload-checksum': 'sha256 AAAA' }),
      400,
      'unsupported_checksum',
    );
    expectError(await putRaw(user, uploadId, 0, bytes, {}), 400, 'invalid_request');
    expect((await status(user, uploadId)).uploaded).toEqual([]);
  });

  it('today’s Content-MD5 client: whole chunks, a mismatch is 400 bad_digest, and it may resume at an offset too', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const uploadId = await init(user, bytes);
    expectError(
      await putRaw(user, uploadId, 0, chunkOf(bytes, 0), {
        'content-md5': md5Of(chunkOf(bytes, 1)),
      }),
      400,
      'bad_digest',
    );
    expect((await user.putChunk(uploadId, 0, chunkOf(bytes, 0))).status).toBe(204);
    const chunk = chunkOf(bytes, 1);
    await putCutOff(user, uploadId, 1, chunk, 1000);
    await expect.poll(async () => (await status(user, uploadId)).partial).toHaveLength(1);
    const held: number = (await status(user, uploadId)).partial[0].bytes;
    const rest = await putRaw(user, uploadId, 1, chunk.subarray(held), {
      'upload-offset': String(held),
      'content-md5': md5Of(chunk),
    });
    expect(rest.status).toBe(204);
    const done = await user.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    expect((await downloaded(user, done.body.file.id)).equals(bytes)).toBe(true);
  });
});

describe('the SHA-1 given at complete', () => {
  it('init without sha1; complete asks for it, checks it, and makes the file', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK + 5);
    // Content the server already has: without a sha1, init cannot offer instant upload.
    await user.upload('known.bin', bytes);
    const uploadId = await init(user, bytes, false);
    for (const i of [0, 1, 2])
      expect((await user.putChunk(uploadId, i, chunkOf(bytes, i))).status).toBe(204);
    const complete = (body?: unknown) =>
      user.call('POST', `/api/uploads/${uploadId}/complete`, body);
    expectError(await complete(), 400, 'sha1_required');
    expectError(await complete({ sha1: 'not-a-sha1' }), 400, 'invalid_request');
    const done = await complete({ sha1: sha1Of(bytes) });
    expect(done.status).toBe(201);
    expect(done.body.file).toMatchObject({
      name: 'v2.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
    });
    // Asked again (a retry), the same file.
    expect((await complete({ sha1: sha1Of(bytes) })).body.file.id).toBe(done.body.file.id);
  });

  it('a late SHA-1 that is not the content: 422 sha1_mismatch and the upload is discarded', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(CHUNK);
    const uploadId = await init(user, bytes, false);
    expect((await user.putChunk(uploadId, 0, bytes)).status).toBe(204);
    expectError(
      await user.call('POST', `/api/uploads/${uploadId}/complete`, { sha1: sha1Of('other') }),
      422,
      'sha1_mismatch',
    );
    expectError(await user.call('GET', `/api/uploads/${uploadId}`), 404);
    expect(await readdir(server.services.config.stagingDir)).not.toContain(uploadId);
  });
});
