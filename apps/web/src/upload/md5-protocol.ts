// The messages between md5-client.ts (page) and md5-worker.ts; `id` pairs a reply with its request.
import type { HashErrorCode } from './hash-error.ts';

export interface Md5Request {
  id: number;
  blob: Blob;
}

export type Md5Reply =
  | { id: number; type: 'done'; md5: string }
  | { id: number; type: 'error'; code: HashErrorCode; message: string };
