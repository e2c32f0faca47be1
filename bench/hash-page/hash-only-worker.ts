// Hashes `size` bytes from memory with hash-wasm, in a worker like the app's, and reports the time:
// the hashing ceiling with no file reading at all.
import { createSHA1 } from 'hash-wasm';

const BUFFER_BYTES = 8 * 1024 * 1024; // the app's hash worker slice size (apps/web/src/upload/hash-sha1.ts)

onmessage = async ({ data: size }: MessageEvent<number>) => {
  const sha1 = await createSHA1();
  const bytes = new Uint8Array(BUFFER_BYTES);
  const start = performance.now();
  sha1.init();
  for (let done = 0; done < size; done += bytes.length) sha1.update(bytes);
  postMessage({ ms: performance.now() - start, digest: sha1.digest('hex') });
};
