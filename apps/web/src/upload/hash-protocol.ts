// The messages between hash-client.ts (page) and hash-worker.ts: one job per worker.
import type { HashErrorCode } from './hash-error.ts';

export interface HashRequest {
  blob: Blob;
}

export type HashReply =
  | { type: 'progress'; hashedBytes: number }
  | { type: 'done'; sha1: string }
  | { type: 'error'; code: HashErrorCode; message: string };
