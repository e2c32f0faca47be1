// Issue 10, item 2: an error answered before the body was read reaches a client that is still
// sending. Closing at once reset the connection, and fetch (like a browser) saw a network error
// instead of the JSON error, so the web client retried. Every case is sent 20 times in a row with an
// 8 MiB body, sent piece by piece as a browser does. The API runs in a process of its own: sharing the test's event loop hid the resets.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, md5Of, newUser, sha1Of } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnApi, type ApiProcess } from './support/process.ts';

const CHUNK = 64 * 1024;
const BODY = new Uint8Array(8 * 1024 * 1024);
const ROUNDS = 20;
let dataDir: string;
let database: TestDatabase;
let api: ApiProcess;
let owner: Client;
let uploadId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-early-'));
  database = await createTestDatabase();
  api = await spawnApi({
    DATA_DIR: dataDir,
    CHUNK_SIZE: String(CHUNK),
    UPLOAD_MAX_BYTES: String(1024 * 1024),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  owner = await newUser(api.baseUrl);
  const bytes = randomBytes(2 * CHUNK);
  const init = await owner.call('POST', '/api/uploads', {
    name: 'a.bin',
    size: bytes.length,
    sha1: sha1Of(bytes),
  });
  uploadId = init.body.uploadId;
});
afterAll(async () => {
  await api?.kill('SIGTERM');
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const PIECE = 256 * 1024;
const BOUNDARY = 'early-answers-boundary';
const encode = (text: string) => new TextEncoder().encode(text);

/**
 * A body sent the way a browser on a network sends it: piece by piece, still going when an early
 * answer comes, with its Content-Length (or, with `chunked`, none to refuse it by).
 */
function sentLikeABrowser(
  pieces: Uint8Array[],
  headers: Record<string, string>,
  chunked = false,
): RequestInit {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      if (next < pieces.length) controller.enqueue(pieces[next++]!);
      else controller.close();
    },
  });
  return {
    headers: chunked ? headers : { ...headers, 'content-length': String(length) },
    body,
    duplex: 'half',
  } as RequestInit;
}

const piecesOf = (bytes: Uint8Array) =>
  Array.from({ length: Math.ceil(bytes.length / PIECE) }, (_, i) =>
    bytes.subarray(i * PIECE, (i + 1) * PIECE),
  );

const putChunk = (client: Client, path: string) =>
  client.raw(
    'PUT',
    path,
    sentLikeABrowser(piecesOf(BODY), {
      'content-type': 'application/octet-stream',
      'content-md5': md5Of(BODY),
    }),
  );

const postForm = (chunked = false) =>
  owner.raw(
    'POST',
    '/api/files',
    sentLikeABrowser(
      [
        encode(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`,
        ),
        ...piecesOf(BODY),
        encode(`\r\n--${BOUNDARY}--\r\n`),
      ],
      { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      chunked,
    ),
  );

/** Sends the request ROUNDS times; each answer must be the JSON error, read in full. */
async function expectAnsweredEveryTime(
  send: () => Promise<Response>,
  status: number,
  code: string,
): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const res = await send();
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect({ round, status: res.status, code: body.error.code }).toEqual({ round, status, code });
  }
  expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
}

describe('early error answers on streaming routes reach the client', () => {
  it('chunk PUT to an unknown upload: 404', async () => {
    const unknown = 'A'.repeat(22);
    await expectAnsweredEveryTime(
      () => putChunk(owner, `/api/uploads/${unknown}/chunks/0`),
      404,
      'not_found',
    );
  });

  it('chunk PUT to another user’s upload: 404', async () => {
    const stranger = await newUser(api.baseUrl);
    await expectAnsweredEveryTime(
      () => putChunk(stranger, `/api/uploads/${uploadId}/chunks/0`),
      404,
      'not_found',
    );
  });

  it('chunk PUT with an index out of range: 400', async () => {
    await expectAnsweredEveryTime(
      () => putChunk(owner, `/api/uploads/${uploadId}/chunks/99`),
      400,
      'invalid_chunk',
    );
  });

  it('chunk PUT of the wrong size: 400', async () => {
    await expectAnsweredEveryTime(
      () => putChunk(owner, `/api/uploads/${uploadId}/chunks/0`),
      400,
      'invalid_chunk',
    );
  });

  it('chunk PUT without a login: 401', async () => {
    await expectAnsweredEveryTime(
      () => putChunk(new Client(api.baseUrl), `/api/uploads/${uploadId}/chunks/0`),
      401,
      'unauthorized',
    );
  });

  it('form upload over UPLOAD_MAX_BYTES: 413', async () => {
    await expectAnsweredEveryTime(() => postForm(), 413, 'payload_too_large');
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([]);
  });

  it('form upload over UPLOAD_MAX_BYTES found while streaming: 413', async () => {
    await expectAnsweredEveryTime(() => postForm(true), 413, 'payload_too_large');
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([]);
  });
});
