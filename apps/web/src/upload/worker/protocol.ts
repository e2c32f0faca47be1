// The messages between worker-client.ts (page) and file-worker.ts: one worker per file, for one
// run of its upload. The worker reads each chunk once, in order: the bytes feed the running SHA-1
// and the chunk's CRC32C, and wait in memory (a few chunks at most) until the page asks to send
// them; the PUT goes from the worker, which streams its progress back.
import type { ChunkLayout } from '../chunk-ranges.ts';
import type { HashErrorCode } from '../hashing/hash-error.ts';

export type { ChunkLayout };

/** An error answer (or none: status 0) to a chunk PUT, as plain data that survives postMessage. */
export interface WireError {
  status: number;
  code: string;
  message: string;
  /** `409 offset_mismatch`: the bytes of the chunk the server holds. */
  offset?: number;
}

export type WorkerRequest =
  | {
      type: 'open';
      file: Blob;
      layout: ChunkLayout;
      /** Chunks the server holds whole: read for the SHA-1 only, never kept. */
      held: number[];
      /** Chunks read and kept, waiting to be sent, at most. */
      readAhead: number;
    }
  /** These chunks turned out whole on the server: drop their bytes. */
  | { type: 'held'; indexes: number[] }
  /** PUT bytes [offset, end) of chunk `index`, with the WHOLE chunk's checksum. */
  | { type: 'send'; id: number; uploadId: string; index: number; offset: number }
  | { type: 'abort'; id: number };

export type WorkerReply =
  | { type: 'sha1'; sha1: string }
  | { type: 'progress'; id: number; sent: number }
  | { type: 'sent'; id: number }
  | { type: 'failed'; id: number; error: WireError }
  /** The send was aborted: its request, if one had started, is over. */
  | { type: 'aborted'; id: number }
  /** Reading or hashing failed: the file cannot be uploaded this run. */
  | { type: 'error'; code: HashErrorCode; message: string };
