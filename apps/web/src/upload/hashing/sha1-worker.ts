// Web Worker entry: the running SHA-1 of one file, on a thread of its own (see sha1.ts). Requests
// are handled one after another in the order they came.
import { HashError } from './hash-error.ts';
import { createSha1Hasher } from './sha1.ts';
import type { Sha1Reply, Sha1Request } from './sha1-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: Sha1Reply) => scope.postMessage(message);
let hasher = createSha1Hasher();

scope.onmessage = ({ data }: MessageEvent<Sha1Request>) => {
  hasher = hasher.then((sha1) => {
    if (data.type === 'update') {
      sha1.update(data.bytes);
      reply({ type: 'hashed' });
    } else reply({ type: 'digest', sha1: sha1.digest() });
    return sha1;
  });
  hasher.catch((err: unknown) => {
    const code = err instanceof HashError ? err.code : 'worker_failed';
    reply({ type: 'error', code, message: String(err) });
  });
};
