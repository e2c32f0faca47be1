// The page's side of the MD5 worker: one long-lived worker for every chunk of every file (a chunk
// hashes in milliseconds; a worker per chunk would cost more to start than to run). Only the
// chunk being hashed is read into memory, inside the worker.
import { HashError } from './hash-error.ts';
import type { Md5Reply, Md5Request } from './md5-protocol.ts';

interface Pending {
  resolve: (md5: string) => void;
  reject: (err: HashError) => void;
}

let worker: Worker | undefined;
let lastId = 0;
const pending = new Map<number, Pending>();

function startWorker(): Worker {
  const started = new Worker(new URL('./md5-worker.ts', import.meta.url), { type: 'module' });
  started.onmessage = ({ data }: MessageEvent<Md5Reply>) => {
    const request = pending.get(data.id);
    pending.delete(data.id);
    if (data.type === 'done') request?.resolve(data.md5);
    else request?.reject(new HashError(data.code, data.message));
  };
  started.onerror = (event) => {
    // A dead worker answers nothing more: fail what it held, start afresh on the next call.
    for (const request of pending.values()) {
      request.reject(new HashError('worker_failed', event.message));
    }
    pending.clear();
    started.terminate();
    if (worker === started) worker = undefined;
  };
  return started;
}

/** Base64 MD5 of `blob` (for `Content-MD5`), computed in the worker. */
export function md5InWorker(blob: Blob): Promise<string> {
  worker ??= startWorker();
  const id = ++lastId;
  const done = new Promise<string>((resolve, reject) => pending.set(id, { resolve, reject }));
  worker.postMessage({ id, blob } satisfies Md5Request);
  return done;
}
