// The messages between sha1-worker-client.ts (in the file worker) and sha1-worker.ts.
import type { HashErrorCode } from './hash-error.ts';

export type Sha1Request =
  /** The next bytes of the file; their buffer is transferred. */
  { type: 'update'; bytes: Uint8Array<ArrayBuffer> } | { type: 'digest' };

export type Sha1Reply =
  /** One `update` is hashed: its memory is free again. */
  | { type: 'hashed' }
  | { type: 'digest'; sha1: string }
  | { type: 'error'; code: HashErrorCode; message: string };
