// Test support: the upload API of contract v2 in memory (init without a SHA-1, chunks with
// Upload-Offset and Upload-Checksum crc32c, partial chunks, complete {sha1}, instant upload), and
// a file worker that runs in this thread and sends its PUTs here. Not part of the app bundle.
import { createHash } from 'node:crypto';
import { ApiError } from '../../api/client.ts';
import { chunkEnd, chunkStart, type ChunkLayout } from '../chunk-ranges.ts';
import { uploadChecksum } from '../hashing/crc32c.ts';
import type { PutChunk, PutRequest } from '../worker/chunk-pipeline.ts';
import { handleWorkerRequests } from '../worker/handle-requests.ts';
import { startFileWorker, type WorkerPort } from '../worker/worker-client.ts';

interface ServerUpload {
  layout: ChunkLayout;
  /** Bytes held of each chunk, from its start. */
  chunks: Uint8Array[];
}

const sha1Hex = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

export class FakeServer {
  uploads = new Map<string, ServerUpload>();
  /** Every PUT that reached the server, in order. */
  puts: { index: number; offset: number; length: number; checksum: string }[] = [];
  /** SHA-1s of the content the server has (for instant upload). */
  known = new Set<string>();
  /** Called before a PUT is taken; may delay or throw (a network error, a hang). */
  gate: (request: PutRequest, signal: AbortSignal) => Promise<void> = async () => {};
  completeFailures: ApiError[] = [];
  completed: { uploadId: string; sha1: string }[] = [];
  cancelled: string[] = [];
  proofs = 0;
  private lastId = 0;

  constructor(readonly chunkSize: number) {}

  create(size: number) {
    const uploadId = `up${++this.lastId}`;
    const chunkCount = Math.ceil(size / this.chunkSize);
    const layout = { size, chunkSize: this.chunkSize, chunkCount };
    this.uploads.set(uploadId, {
      layout,
      chunks: Array.from({ length: chunkCount }, () => new Uint8Array()),
    });
    return {
      uploadId,
      chunkSize: this.chunkSize,
      chunkCount,
      uploaded: [],
      partial: [],
      checksums: ['crc32c'],
    };
  }

  status(uploadId: string) {
    const upload = this.upload(uploadId);
    const { layout, chunks } = upload;
    const whole = (i: number) => chunks[i]!.length === chunkEnd(layout, i) - chunkStart(layout, i);
    const indexes = chunks.map((_, i) => i);
    const uploaded = indexes.filter(whole);
    const partial = indexes
      .filter((i) => !whole(i) && chunks[i]!.length > 0)
      .map((index) => ({ index, bytes: chunks[index]!.length }));
    const bytesReceived = chunks.reduce((sum, c) => sum + c.length, 0);
    return {
      uploadId,
      name: 'f',
      size: layout.size,
      chunkSize: layout.chunkSize,
      chunkCount: layout.chunkCount,
      uploaded,
      missing: indexes.filter((i) => !whole(i)),
      partial,
      bytesReceived,
      percent: layout.size === 0 ? 100 : (100 * bytesReceived) / layout.size,
    };
  }

  /** Keeps `bytes` bytes of chunk `index` (an earlier PUT cut off there). */
  hold(uploadId: string, index: number, file: Uint8Array, bytes: number) {
    const { layout, chunks } = this.upload(uploadId);
    const start = chunkStart(layout, index);
    chunks[index] = file.slice(start, start + bytes);
  }

  put: PutChunk = async (request, onProgress, signal) => {
    const { uploadId, index, offset, body, checksum } = request;
    const { chunks } = this.upload(uploadId);
    const held = chunks[index]!;
    if (offset !== held.length) {
      const err = new ApiError(409, 'offset_mismatch', 'offset');
      err.offset = held.length;
      throw err;
    }
    await this.gate(request, signal);
    signal.throwIfAborted();
    this.puts.push({ index, offset, length: body.length, checksum });
    const whole = new Uint8Array(held.length + body.length);
    whole.set(held);
    whole.set(body, held.length);
    if ((await uploadChecksum(whole)) !== checksum) {
      chunks[index] = new Uint8Array();
      throw new ApiError(460, 'checksum_mismatch', 'checksum');
    }
    onProgress(body.length);
    chunks[index] = whole;
  };

  complete(uploadId: string, sha1: string) {
    const failure = this.completeFailures.shift();
    if (failure) throw failure;
    const status = this.status(uploadId);
    if (status.missing.length > 0) {
      throw new ApiError(409, 'chunks_missing', 'missing', status.missing);
    }
    const { chunks } = this.upload(uploadId);
    const all = new Uint8Array(Buffer.concat(chunks));
    if (sha1Hex(all) !== sha1) throw new ApiError(422, 'sha1_mismatch', 'sha1');
    this.completed.push({ uploadId, sha1 });
    this.uploads.delete(uploadId);
    return { id: 'file1', name: 'f', size: all.length, sha1 };
  }

  cancel(uploadId: string) {
    this.cancelled.push(uploadId);
    this.uploads.delete(uploadId);
  }

  private upload(uploadId: string): ServerUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new ApiError(404, 'not_found', 'gone');
    return upload;
  }
}

/** A Worker stand-in that runs file-worker.ts's handler in this thread. */
export const inThreadWorker = (putChunk: PutChunk) => (): WorkerPort => {
  let terminated = false;
  const port: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage: (request) => handle(request),
    terminate: () => (terminated = true),
  };
  const handle = handleWorkerRequests((data) => {
    if (!terminated) setTimeout(() => port.onmessage?.({ data } as MessageEvent));
  }, putChunk);
  return port;
};

/** startFileWorker with the in-thread worker sending to `server`. */
export const fakeStartWorker =
  (server: FakeServer): typeof startFileWorker =>
  (file, layout, options) =>
    startFileWorker(file, layout, { ...options, createWorker: inThreadWorker(server.put) });

/** A Blob that counts the bytes read from it (each byte should be read once). */
export function countingBlob(bytes: Uint8Array<ArrayBuffer>): {
  blob: Blob;
  bytesRead: () => number;
} {
  const blob = new Blob([bytes]);
  let read = 0;
  const counting = {
    size: blob.size,
    slice: (start?: number, end?: number) => {
      const part = blob.slice(start, end);
      return {
        arrayBuffer: async () => {
          read += part.size;
          return part.arrayBuffer();
        },
      };
    },
  } as unknown as Blob;
  return { blob: counting, bytesRead: () => read };
}
