import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, networkError } from '../api/client.ts';
import { createChunkQueue } from './chunk-queue.ts';
import type { OnConflict } from '@filestore/contract';
import { fakeStartWorker, FakeServer } from './test-support/fake-server.ts';
import type { Transition } from './transfer-state.ts';

// The network is the in-memory server; the flow, the queue, the worker's pipeline are real.
let server: FakeServer;
const instantAsked: string[] = [];
/** The onConflict of each request that can land a file: [request, value]. */
const conflictsSent: [string, string | undefined][] = [];
vi.mock('../api/create-upload.ts', () => ({
  createUpload: async (body: { size: number; sha1?: string; onConflict?: string }) => {
    expect(body.sha1).toBeUndefined(); // contract v2: the SHA-1 comes with complete
    conflictsSent.push(['init', body.onConflict]);
    return server.create(body.size);
  },
}));
vi.mock('../api/get-upload.ts', () => ({ getUpload: async (id: string) => server.status(id) }));
vi.mock('../api/complete-upload.ts', () => ({
  completeUpload: async (id: string, sha1: string) => server.complete(id, sha1),
}));
vi.mock('../api/cancel-upload.ts', () => ({
  cancelUpload: async (id: string) => server.cancel(id),
}));
vi.mock('../api/instant-upload.ts', () => ({
  requestInstantChallenge: async ({ sha1, onConflict }: { sha1: string; onConflict?: string }) => {
    instantAsked.push(sha1);
    conflictsSent.push(['challenge', onConflict]);
    return server.known.has(sha1) ? { token: 't', offset: 0, length: 10, nonce: 'n' } : null;
  },
  proveInstantUpload: async ({ onConflict }: { onConflict?: string }) => {
    conflictsSent.push(['proof', onConflict]);
    server.proofs += 1;
    return { id: 'file2' };
  },
}));

const { uploadFile } = await import('./upload-flow.ts');

const CHUNK = 1_000;
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
// Concurrency 1 and no backoff: the order of PUTs is fixed and retries are immediate.
const queue = () => createChunkQueue({ concurrency: 1, delay: () => 0 });

function run(
  bytes: Uint8Array<ArrayBuffer>,
  {
    uploadId,
    signal,
    onConflict,
  }: { uploadId?: string; signal?: AbortSignal; onConflict?: OnConflict } = {},
) {
  const transitions: Transition[] = [];
  const file = new File([bytes], 'a.bin');
  const done = uploadFile(file, {
    signal: signal ?? new AbortController().signal,
    queue: queue(),
    uploadId,
    onConflict,
    emit: (t) => transitions.push(t),
    startWorker: fakeStartWorker(server),
  });
  return { done, transitions, types: () => transitions.map((t) => t.type) };
}

beforeEach(() => {
  server = new FakeServer(CHUNK);
  instantAsked.length = 0;
  conflictsSent.length = 0;
});

describe('uploadFile', () => {
  it('opens without a SHA-1, sends every chunk with its CRC32C, completes with the SHA-1', async () => {
    const bytes = new Uint8Array(randomBytes(2_500));
    const r = run(bytes);
    await r.done;
    expect(server.puts.map((p) => [p.index, p.offset, p.length])).toEqual([
      [0, 0, 1_000],
      [1, 0, 1_000],
      [2, 0, 500],
    ]);
    expect(server.puts.every((p) => p.checksum.startsWith('crc32c '))).toBe(true);
    expect(server.completed).toEqual([{ uploadId: 'up1', sha1: sha1(bytes) }]);
    expect(instantAsked).toEqual([sha1(bytes)]); // asked while the last chunks were still going
    expect(r.types()[0]).toBe('opened');
    expect(r.types().slice(-2)).toEqual(['verifying', 'done']);
    expect(r.transitions.at(-1)).toEqual({ type: 'done', instant: false });
  });

  it('resumes an open upload: skips whole chunks, continues a partial one at its offset', async () => {
    const bytes = new Uint8Array(randomBytes(3_000));
    const { uploadId } = server.create(3_000);
    server.hold(uploadId, 0, bytes, 1_000);
    server.hold(uploadId, 1, bytes, 321);
    const r = run(bytes, { uploadId });
    await r.done;
    expect(r.transitions[0]).toEqual({
      type: 'opened',
      uploadId,
      layout: { size: 3_000, chunkSize: CHUNK, chunkCount: 3 },
      held: [1_000, 321, 0],
    });
    expect(server.puts.map((p) => [p.index, p.offset, p.length])).toEqual([
      [1, 321, 679],
      [2, 0, 1_000],
    ]);
    expect(server.completed).toEqual([{ uploadId, sha1: sha1(bytes) }]);
  });

  it('goes on from the offset the server names when it holds more than the client thought', async () => {
    const bytes = new Uint8Array(randomBytes(2_000));
    // The first PUT of chunk 0 dies after the server kept 600 bytes; the retry is told 409.
    let cut = true;
    server.gate = async ({ uploadId, index }) => {
      if (cut && index === 0) {
        cut = false;
        server.hold(uploadId, 0, bytes, 600);
        throw networkError();
      }
    };
    await run(bytes).done;
    // (The retry waits its backoff, so chunk 1 goes first.)
    expect(server.puts.map((p) => [p.index, p.offset, p.length])).toEqual([
      [1, 0, 1_000],
      [0, 600, 400],
    ]);
    expect(server.completed).toHaveLength(1);
  });

  it('a known file: the upload is stopped once the SHA-1 is known, proven, and the partial upload deleted', async () => {
    const bytes = new Uint8Array(randomBytes(4_000));
    server.known.add(sha1(bytes));
    // The network is slow: a PUT takes until the flow gives up on it.
    server.gate = (_request, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const r = run(bytes);
    await r.done;
    expect(server.proofs).toBe(1);
    expect(server.cancelled).toEqual(['up1']);
    expect(server.completed).toEqual([]);
    expect(server.puts).toEqual([]); // fewer bytes sent than the file: none here
    expect(r.types().slice(-2)).toEqual(['instant', 'done']);
    expect(r.transitions.at(-1)).toEqual({ type: 'done', instant: true });
  });

  it('a known file of one chunk: hashed first, nothing sent, finished by instant upload', async () => {
    const bytes = new Uint8Array(randomBytes(700));
    server.known.add(sha1(bytes));
    const r = run(bytes);
    await r.done;
    expect(server.puts).toEqual([]);
    expect(server.cancelled).toEqual(['up1']);
    expect(r.transitions.at(-1)).toEqual({ type: 'done', instant: true });
  });

  it("sends the batch's conflict choice with the upload it opens and with an instant upload", async () => {
    await run(new Uint8Array(randomBytes(1_500)), { onConflict: 'replace' }).done;
    const known = new Uint8Array(randomBytes(500));
    server.known.add(sha1(known));
    await run(known, { onConflict: 'keep' }).done;
    expect(conflictsSent).toEqual([
      ['init', 'replace'],
      ['challenge', 'replace'],
      ['init', 'keep'],
      ['challenge', 'keep'],
      ['proof', 'keep'],
    ]);
  });

  it('retries complete after a network error, and sends the chunks complete says are missing', async () => {
    const bytes = new Uint8Array(randomBytes(2_000));
    server.completeFailures.push(networkError());
    let lost = false;
    const complete = server.complete.bind(server);
    server.complete = (id, hash) => {
      if (!lost) {
        lost = true;
        server.hold(id, 1, bytes, 0); // another tab's sweep lost chunk 1
      }
      return complete(id, hash);
    };
    const r = run(bytes);
    await r.done;
    expect(server.puts.map((p) => p.index)).toEqual([0, 1, 1]);
    expect(r.types()).toContain('sending');
    expect(server.completed).toHaveLength(1);
  });

  it('a final refusal fails the upload', async () => {
    const bytes = new Uint8Array(randomBytes(2_000));
    server.gate = async () => {
      throw new ApiError(413, 'quota_exceeded', 'full');
    };
    await expect(run(bytes).done).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(server.completed).toEqual([]);
  });

  it('stops when aborted (pause), with nothing left running', async () => {
    const bytes = new Uint8Array(randomBytes(3_000));
    const controller = new AbortController();
    server.gate = async (request) => {
      if (request.index === 1) controller.abort(new DOMException('Paused', 'AbortError'));
    };
    await expect(run(bytes, { signal: controller.signal }).done).rejects.toThrow('Paused');
    expect(server.puts.map((p) => p.index)).toEqual([0]);
    expect(server.completed).toEqual([]);
  });
});
