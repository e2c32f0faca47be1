// The messages between hash-client.ts (page) and hash-worker.ts: one job per worker. The page reads
// the Blob and transfers each slice's bytes; the worker hashes them in order and acknowledges each
// slice with a progress message, which frees the page to read another.
import type { HashErrorCode } from './hash-error.ts';

export type HashRequest =
  | { type: 'slice'; bytes: ArrayBuffer } // transferred, not copied
  | { type: 'end' };

export type HashReply =
  | { type: 'progress'; hashedBytes: number }
  | { type: 'done'; sha1: string }
  | { type: 'error'; code: HashErrorCode; message: string };
