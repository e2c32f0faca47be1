import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, hmacOf, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const QUOTA = 1024 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ DEFAULT_QUOTA_BYTES: '1MB' });
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

const usedBytes = async (user: User) => (await user.call('GET', '/api/me')).body.user.usedBytes;

/** A form upload with no Content-Length (chunked): only the running count can stop it. */
async function streamedFormUpload(user: User, name: string, bytes: Uint8Array) {
  const boundary = 'quota-test-boundary';
  const parts = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(new Uint8Array(next));
      else controller.close();
    },
  });
  const res = await user.raw('POST', '/api/files', {
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('quotas (DEFAULT_QUOTA_BYTES)', () => {
  it('GET /api/me shows used and quota bytes', async () => {
    const user = await newUser(server.baseUrl);
    await user.upload('a.bin', randomBytes(1000));
    expect((await user.call('GET', '/api/me')).body.user).toMatchObject({
      usedBytes: 1000,
      quotaBytes: QUOTA,
    });
  });

  it('form upload: 413 quota_exceeded from the declared length, and from the running count', async () => {
    const user = await newUser(server.baseUrl);
    await user.upload('half.bin', randomBytes(QUOTA / 2));
    const blobs = await server.blobCount();
    expectError(await user.upload('big.bin', randomBytes(3 * QUOTA)), 413, 'quota_exceeded');
    expectError(
      await streamedFormUpload(user, 'sneaky.bin', randomBytes(QUOTA / 2 + 1)),
      413,
      'quota_exceeded',
    );
    expect(await server.blobCount()).toBe(blobs);
    expect(await server.stagedFiles()).toEqual([]);
    expect(await usedBytes(user)).toBe(QUOTA / 2);
    // exactly what is left still fits
    expect((await streamedFormUpload(user, 'fits.bin', randomBytes(QUOTA / 2))).status).toBe(201);
    expect(await usedBytes(user)).toBe(QUOTA);
  });

  it('chunked init: 413 when the file does not fit beside the files and the unfinished uploads', async () => {
    const user = await newUser(server.baseUrl);
    const init = (bytes: Buffer) =>
      user.call('POST', '/api/uploads', { name: 'c.bin', size: bytes.length, sha1: sha1Of(bytes) });
    expectError(await init(randomBytes(QUOTA + 1)), 413, 'quota_exceeded');
    const first = randomBytes(QUOTA * 0.6);
    expect((await init(first)).status).toBe(201);
    expect((await init(first)).status).toBe(201); // resuming the same upload reserves nothing more
    expectError(await init(randomBytes(QUOTA * 0.6)), 413, 'quota_exceeded');
  });

  it('chunked complete re-checks: the upload stays open when the space went meanwhile', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(QUOTA * 0.6);
    const upload = (
      await user.call('POST', '/api/uploads', {
        name: 'late.bin',
        size: bytes.length,
        sha1: sha1Of(bytes),
      })
    ).body;
    for (let index = 0; index < upload.chunkCount; index++) {
      const chunk = bytes.subarray(index * upload.chunkSize, (index + 1) * upload.chunkSize);
      expect((await user.putChunk(upload.uploadId, index, chunk)).status).toBe(204);
    }
    const filler = await user.upload('filler.bin', randomBytes(QUOTA * 0.5)); // the form path does not know of the open upload
    expect(filler.status).toBe(201);
    expectError(
      await user.call('POST', `/api/uploads/${upload.uploadId}/complete`),
      413,
      'quota_exceeded',
    );
    expect((await user.call('GET', `/api/uploads/${upload.uploadId}`)).body.missing).toEqual([]);
    // A trashed file still counts: only its purge makes room.
    expect((await user.call('DELETE', `/api/files/${filler.body.file.id}`)).status).toBe(204);
    expectError(
      await user.call('POST', `/api/uploads/${upload.uploadId}/complete`),
      413,
      'quota_exceeded',
    );
    expect((await user.call('DELETE', `/api/trash/${filler.body.file.id}`)).status).toBe(204);
    expect((await user.call('POST', `/api/uploads/${upload.uploadId}/complete`)).status).toBe(201);
    expect(await usedBytes(user)).toBe(bytes.length);
  });

  it('instant upload and save-to-drive: 413 before any reference is added', async () => {
    const owner = await newUser(server.baseUrl);
    const taker = await newUser(server.baseUrl);
    const bytes = randomBytes(QUOTA * 0.75);
    const file = (await owner.upload('shared.bin', bytes)).body.file;
    await taker.upload('taker.bin', randomBytes(QUOTA * 0.5));
    const ask = { name: 'copy.bin', size: bytes.length, sha1: sha1Of(bytes) };
    expectError(await taker.call('POST', '/api/files/instant', ask), 413, 'quota_exceeded');
    // a challenge obtained while the file fitted: the proof step checks again
    const roomy = await newUser(server.baseUrl);
    const challenge = (await roomy.call('POST', '/api/files/instant', ask)).body.challenge;
    await roomy.upload('now-full.bin', randomBytes(QUOTA * 0.5));
    const proof = {
      token: challenge.token,
      hmac: hmacOf(
        challenge.nonce,
        bytes.subarray(challenge.offset, challenge.offset + challenge.length),
      ),
    };
    expectError(
      await roomy.call('POST', '/api/files/instant', { ...ask, proof }),
      413,
      'quota_exceeded',
    );

    const share = (await owner.call('POST', '/api/shares', { fileId: file.id })).body.share;
    expectError(await taker.call('POST', `/api/shares/${share.token}/save`), 413, 'quota_exceeded');
    const refs = await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${file.sha1.slice(-2)} WHERE sha1 = ?`,
      [file.sha1],
    );
    expect(refs[0]!.ref_count).toBe(1);
    expect(await usedBytes(taker)).toBe(QUOTA * 0.5);
  });

  it('concurrent uploads cannot together overshoot the quota', async () => {
    const user = await newUser(server.baseUrl);
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => user.upload(`p${i}.bin`, randomBytes(QUOTA * 0.3))),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 413)).toHaveLength(1);
    expect(await usedBytes(user)).toBe(Math.floor(QUOTA * 0.3) * 3);
  });
});
