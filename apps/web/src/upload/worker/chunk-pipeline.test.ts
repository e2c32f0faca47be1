import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uploadChecksum } from '../hashing/crc32c.ts';
import { countingBlob, FakeServer } from '../test-support/fake-server.ts';
import { createChunkPipeline } from './chunk-pipeline.ts';
import type { WorkerReply } from './protocol.ts';

const CHUNK = 1_000;
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const never = new AbortController().signal;

function setup(size: number, { held = [] as number[], readAhead = 2 } = {}) {
  const bytes = new Uint8Array(randomBytes(size));
  const { blob, bytesRead } = countingBlob(bytes);
  const server = new FakeServer(CHUNK);
  const { uploadId, chunkCount } = server.create(size);
  const layout = { size, chunkSize: CHUNK, chunkCount };
  const replies: WorkerReply[] = [];
  const pipeline = createChunkPipeline(blob, layout, {
    held,
    readAhead,
    putChunk: (request, onProgress, signal) => server.put(request, onProgress, signal),
    report: (reply) => replies.push(reply),
  });
  const sha1Reply = () => replies.find((r) => r.type === 'sha1');
  const send = (index: number, offset = 0) =>
    pipeline.send(uploadId, index, offset, never, () => {});
  return { bytes, bytesRead, server, uploadId, pipeline, replies, sha1Reply, send };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('chunk pipeline', () => {
  it('reads each byte once: the same bytes feed the SHA-1, each CRC32C and each PUT body', async () => {
    const t = setup(3_500);
    await Promise.all([0, 1, 2, 3].map((i) => t.send(i)));
    await settle();
    expect(t.bytesRead()).toBe(3_500);
    expect(t.sha1Reply()).toEqual({ type: 'sha1', sha1: sha1(t.bytes) });
    expect(t.server.puts.map((p) => [p.index, p.length])).toEqual([
      [0, 1_000],
      [1, 1_000],
      [2, 1_000],
      [3, 500],
    ]);
    expect(t.server.puts[3]!.checksum).toBe(await uploadChecksum(t.bytes.subarray(3_000)));
    expect(t.server.status(t.uploadId).missing).toEqual([]);
  });

  it('keeps at most `readAhead` chunks waiting, and knows the SHA-1 before the last ones go', async () => {
    const t = setup(5_000, { readAhead: 2 });
    await settle();
    // Nothing sent yet: the reader stops after two chunks.
    expect(t.bytesRead()).toBe(2_000);
    expect(t.sha1Reply()).toBeUndefined();
    await t.send(0);
    await t.send(1);
    await t.send(2);
    await settle();
    // Chunks 3 and 4 are read (and wait), so the SHA-1 is known while two chunks are still unsent.
    expect(t.bytesRead()).toBe(5_000);
    expect(t.sha1Reply()).toEqual({ type: 'sha1', sha1: sha1(t.bytes) });
  });

  it('reads chunks the server holds whole for the SHA-1 only, and sends the rest of a partial one', async () => {
    const t = setup(3_000, { held: [0] });
    t.server.hold(t.uploadId, 0, t.bytes, 1_000);
    t.server.hold(t.uploadId, 1, t.bytes, 400);
    await t.send(1, 400);
    await t.send(2);
    await settle();
    expect(t.bytesRead()).toBe(3_000);
    expect(t.sha1Reply()).toEqual({ type: 'sha1', sha1: sha1(t.bytes) });
    expect(t.server.puts.map((p) => [p.index, p.offset, p.length])).toEqual([
      [1, 400, 600],
      [2, 0, 1_000],
    ]);
    // The checksum is the WHOLE chunk's, though only its rest was sent.
    expect(t.server.puts[0]!.checksum).toBe(await uploadChecksum(t.bytes.subarray(1_000, 2_000)));
  });

  it('reads a chunk once more only when asked for it after it was let go', async () => {
    const t = setup(2_000);
    await t.send(0);
    await t.send(1);
    t.server.hold(t.uploadId, 0, t.bytes, 0); // the server lost it
    await t.send(0);
    expect(t.bytesRead()).toBe(3_000);
    expect(t.server.status(t.uploadId).missing).toEqual([]);
  });

  it('keeps a chunk whose PUT failed, and sends it again without reading it again', async () => {
    const t = setup(1_000);
    let fail = true;
    t.server.gate = async () => {
      if (fail) throw new Error('network');
    };
    await expect(t.send(0)).rejects.toThrow('network');
    fail = false;
    await t.send(0);
    expect(t.bytesRead()).toBe(1_000);
  });

  it('fails every waiting send and reports an error when the file cannot be read', async () => {
    const server = new FakeServer(CHUNK);
    const { uploadId } = server.create(2_000);
    const unreadable = {
      size: 2_000,
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('gone')) }),
    } as unknown as Blob;
    const replies: WorkerReply[] = [];
    const pipeline = createChunkPipeline(
      unreadable,
      { size: 2_000, chunkSize: CHUNK, chunkCount: 2 },
      { held: [], readAhead: 2, putChunk: server.put, report: (r) => replies.push(r) },
    );
    await expect(pipeline.send(uploadId, 0, 0, never, () => {})).rejects.toMatchObject({
      code: 'read_failed',
    });
    expect(replies).toContainEqual(expect.objectContaining({ type: 'error', code: 'read_failed' }));
  });

  it('an aborted send stops waiting and sends nothing', async () => {
    const t = setup(3_000, { readAhead: 1 });
    const controller = new AbortController();
    const sending = t.pipeline.send(t.uploadId, 2, 0, controller.signal, () => {});
    controller.abort(new Error('paused'));
    await expect(sending).rejects.toThrow('paused');
    expect(t.server.puts).toEqual([]);
  });

  it('hashes the empty file at once', async () => {
    const t = setup(0);
    await settle();
    expect(t.sha1Reply()).toEqual({ type: 'sha1', sha1: sha1(new Uint8Array()) });
  });
});
