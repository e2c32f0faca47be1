// The page's side of the hash worker: one short-lived worker per Blob, so parallel uploads hash
// in parallel and nothing lingers afterwards.
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';

/**
 * SHA-1 (lowercase hex) of `blob`, computed in a Web Worker; `onProgress` gets bytes hashed.
 * An aborted `signal` stops the worker and rejects with the signal's reason.
 */
export function hashInWorker(
  blob: Blob,
  onProgress: (hashedBytes: number) => void = () => {},
  signal?: AbortSignal,
): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
  let onAbort = () => {};
  const result = new Promise<string>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      if (data.type === 'progress') onProgress(data.hashedBytes);
      else if (data.type === 'done') resolve(data.sha1);
      else reject(new HashError(data.code, data.message));
    };
    worker.onerror = (event) => reject(new HashError('worker_failed', event.message));
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ blob } satisfies HashRequest);
  });
  return result.finally(() => {
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  });
}
