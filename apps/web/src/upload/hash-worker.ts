// Web Worker entry: hashes the Blob it is sent, off the page's main thread.
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';
import { hashFileSha1 } from './hash-sha1.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: HashReply) => scope.postMessage(message);

scope.onmessage = async ({ data }: MessageEvent<HashRequest>) => {
  try {
    const sha1 = await hashFileSha1(data.blob, (hashedBytes) =>
      reply({ type: 'progress', hashedBytes }),
    );
    reply({ type: 'done', sha1 });
  } catch (err) {
    const code = err instanceof HashError ? err.code : 'worker_failed';
    reply({ type: 'error', code, message: String(err) });
  }
};
