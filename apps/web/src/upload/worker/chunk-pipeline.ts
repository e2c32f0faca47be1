// The file worker's work, free of Worker plumbing (so it runs in tests): read each chunk once, in
// order; feed its bytes to the running SHA-1 and compute its CRC32C; keep it until the page asks
// to send it, then PUT it and let it go. At most `readAhead` chunks wait in memory, so memory stays
// flat whatever the file's size, while the SHA-1 runs that far ahead of the sending (and is known
// before the last chunks go: early enough to try an instant upload).
import { HashError } from '../hashing/hash-error.ts';
import { uploadChecksum } from '../hashing/crc32c.ts';
import { createSha1Hasher } from '../hashing/sha1.ts';
import { type ChunkLayout, chunkEnd, chunkStart } from '../chunk-ranges.ts';
import type { WorkerReply } from './protocol.ts';

export interface PutRequest {
  uploadId: string;
  index: number;
  /** Bytes of the chunk the server holds already; `body` is the rest. */
  offset: number;
  body: Uint8Array<ArrayBuffer>;
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
  bytes: Uint8Array<ArrayBuffer>;
  checksum: string;
}

export function createChunkPipeline(
  file: Blob,
  layout: ChunkLayout,
  { held, readAhead, putChunk, report }: PipelineOptions,
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

  async function readChunk(index: number): Promise<Chunk> {
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

  async function readAll(): Promise<void> {
    const sha1 = await createSha1Hasher();
    while (next < layout.chunkCount) {
      const index = next;
      if (!skip.has(index)) await until(() => kept.size < readAhead);
      const chunk = await readChunk(index);
      sha1.update(chunk.bytes);
      if (!skip.has(index)) kept.set(index, chunk);
      next += 1;
      changed();
    }
    report({ type: 'sha1', sha1: sha1.digest() });
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
      const chunk = kept.get(index) ?? (await readChunk(index));
      const { bytes, checksum } = chunk;
      await putChunk(
        { uploadId, index, offset, body: bytes.subarray(offset), checksum },
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
