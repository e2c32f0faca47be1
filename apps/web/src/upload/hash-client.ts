// The page's side of the hash worker: one short-lived worker per Blob, so parallel uploads hash
// in parallel and nothing lingers afterwards. This thread reads the slices and transfers them
// (zero-copy) to the worker, a few ahead, so reading the next slice overlaps hashing this one.
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';
import { feedSlices } from './hash-sha1.ts';
import type { Release } from './slots.ts';

/**
 * SHA-1 (lowercase hex) of `blob`, computed in a Web Worker; `onProgress` gets bytes hashed.
 * An aborted `signal` stops the reads and the worker and rejects with the signal's reason.
 */
export function hashInWorker(
  blob: Blob,
  onProgress: (hashedBytes: number) => void = () => {},
  signal?: AbortSignal,
): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
  const send = (request: HashRequest, transfer: Transferable[] = []) =>
    worker.postMessage(request, transfer);
  const reading = new AbortController(); // stops the reads once the job ends, however it ends
  const unhashed: Release[] = []; // slices sent, in order, not yet acknowledged
  let onAbort = () => {};
  const result = new Promise<string>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      if (data.type === 'progress') {
        unhashed.shift()?.();
        onProgress(data.hashedBytes);
      } else if (data.type === 'done') resolve(data.sha1);
      else reject(new HashError(data.code, data.message));
    };
    worker.onerror = (event) => reject(new HashError('worker_failed', event.message));
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const deliver = (bytes: ArrayBuffer, release: Release) => {
      unhashed.push(release);
      send({ type: 'slice', bytes }, [bytes]);
    };
    feedSlices(blob, deliver, { signal: reading.signal }).then(() => send({ type: 'end' }), reject);
  });
  return result.finally(() => {
    reading.abort();
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  });
}
