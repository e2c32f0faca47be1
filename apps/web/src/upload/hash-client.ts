// The page's side of the hash worker: one short-lived worker per Blob, so parallel uploads hash
// in parallel and nothing lingers afterwards.
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';

/** SHA-1 (lowercase hex) of `blob`, computed in a Web Worker; `onProgress` gets bytes hashed. */
export function hashInWorker(
  blob: Blob,
  onProgress: (hashedBytes: number) => void = () => {},
): Promise<string> {
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
  const result = new Promise<string>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      if (data.type === 'progress') onProgress(data.hashedBytes);
      else if (data.type === 'done') resolve(data.sha1);
      else reject(new HashError(data.code, data.message));
    };
    worker.onerror = (event) => reject(new HashError('worker_failed', event.message));
    worker.postMessage({ blob } satisfies HashRequest);
  });
  return result.finally(() => worker.terminate());
}
