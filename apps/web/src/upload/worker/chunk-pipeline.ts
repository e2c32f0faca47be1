// The file worker's work, free of Worker plumbing (so it runs in tests): read each chunk once, in
// order; compute its CRC32C, keep its bytes as the PUT's body (a Blob: Chromium sends it ~2× faster
// than an ArrayBuffer) and hand the bytes themselves to the running SHA-1 (its own worker: hashing
// runs beside reading and sending). Keep the body until the page asks to send it, then PUT it and
// let it go. At most `readAhead` chunks wait in memory, so memory stays flat whatever the file's
// size, while the SHA-1 runs that far ahead of the sending (and is known before the last chunks
// go: early enough to try an instant upload).
import { HashError } from '../hashing/hash-error.ts';
import { uploadChecksum } from '../hashing/crc32c.ts';
import { sha1InThisThread, type Sha1Sink } from '../hashing/sha1.ts';
import { type ChunkLayout, chunkEnd, chunkStart } from '../chunk-ranges.ts';
import type { WorkerReply } from './protocol.ts';

export interface PutRequest {
  uploadId: string;
  index: number;
  /** Bytes of the chunk the server holds already; `body` is the rest. */
  offset: number;
  body: Blob;
  /** `Upload-Checksum` of the WHOLE chunk. */
  checksum: string;
}

export type PutChunk = (
  request: PutRequest,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
) => Promise<void>;

export interface PipelineOptions {
  held: readonly number[];
  readAhead: number;
  putChunk: PutChunk;
  /** `sha1` and `error` replies. */
  report: (reply: WorkerReply) => void;
  /** Where the bytes go for the file's SHA-1 (default: hashed in this thread). */
  startSha1?: () => Promise<Sha1Sink>;
}

export interface ChunkPipeline {
  send(
    uploadId: string,
    index: number,
    offset: number,
    signal: AbortSignal,
    onProgress: (sent: number) => void,
  ): Promise<void>;
  held(indexes: readonly number[]): void;
}

interface Chunk {
  body: Blob;
  checksum: string;
}

export function createChunkPipeline(
  file: Blob,
  layout: ChunkLayout,
  { held, readAhead, putChunk, report, startSha1 = sha1InThisThread }: PipelineOptions,
): ChunkPipeline {
  const skip = new Set(held);
  const kept = new Map<number, Chunk>();
  let next = 0; // the next chunk the reader reads
  let failure: unknown;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const wake of [...waiters]) wake();
  };

  /** Resolves once `ready()` holds; rejects if reading failed or `signal` aborts. */
  const until = (ready: () => boolean, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (failure !== undefined || signal?.aborted || ready()) {
          waiters.delete(check);
          signal?.removeEventListener('abort', check);
          if (failure !== undefined) reject(failure);
          else if (signal?.aborted) reject(signal.reason);
          else resolve();
        }
      };
      waiters.add(check);
      signal?.addEventListener('abort', check, { once: true });
      check();
    });

  /** Chunk `index`'s bytes and its `Upload-Checksum`. */
  async function readChunk(index: number) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      const slice = file.slice(chunkStart(layout, index), chunkEnd(layout, index));
      bytes = new Uint8Array(await slice.arrayBuffer());
    } catch (err) {
      // A folder dropped as a "file", or a file changed or removed on disk since it was picked.
      throw new HashError('read_failed', `Could not read the file: ${String(err)}`);
    }
    return { bytes, checksum: await uploadChecksum(bytes) };
  }

  const toChunk = ({ bytes, checksum }: { bytes: Uint8Array<ArrayBuffer>; checksum: string }) => ({
    body: new Blob([bytes]),
    checksum,
  });

  async function readAll(): Promise<void> {
    const sha1 = await startSha1();
    while (next < layout.chunkCount) {
      const index = next;
      if (!skip.has(index)) await until(() => kept.size < readAhead);
      const read = await readChunk(index);
      if (!skip.has(index)) kept.set(index, toChunk(read));
      next += 1;
      changed();
      await sha1.push(read.bytes); // the bytes go to the hasher: not used here after this
    }
    report({ type: 'sha1', sha1: await sha1.digest() });
  }

  readAll().catch((err: unknown) => {
    failure = err;
    const code = err instanceof HashError ? err.code : 'worker_failed';
    report({ type: 'error', code, message: String(err) });
    changed();
  });

  return {
    async send(uploadId, index, offset, signal, onProgress) {
      skip.delete(index);
      await until(() => kept.has(index) || next > index, signal);
      // Read and let go already (the server lost it, or said it had it): read it once more.
      const { body, checksum } = kept.get(index) ?? toChunk(await readChunk(index));
      await putChunk(
        { uploadId, index, offset, body: body.slice(offset), checksum },
        onProgress,
        signal,
      );
      kept.delete(index);
      changed();
    },
    held(indexes) {
      for (const index of indexes) {
        skip.add(index);
        kept.delete(index);
      }
      changed();
    },
  };
}
