// The whole file's SHA-1, fed in order, chunk after chunk, by the file worker as it reads them:
// in a worker of its own (sha1-worker.ts, through sha1-worker-client.ts), so that hashing runs on
// another core beside the reading and sending; in this thread where no worker can be started.
import { createSHA1 } from 'hash-wasm';
import { HashError } from './hash-error.ts';

export interface Sha1Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
}

/** Where the file worker pours the bytes it read, in order. */
export interface Sha1Sink {
  /**
   * Hashes `bytes` after the ones pushed before. The sink may take the bytes over (a transfer to
   * another thread): the caller must not use them afterwards. Resolves when more may be pushed.
   */
  push(bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  /** The SHA-1 of everything pushed, lowercase hex; nothing may be pushed after. */
  digest(): Promise<string>;
}

export async function createSha1Hasher(): Promise<Sha1Hasher> {
  if (typeof WebAssembly === 'undefined') {
    throw new HashError('wasm_unavailable', 'WebAssembly unavailable');
  }
  const sha1 = await createSHA1();
  sha1.init();
  return { update: (bytes) => sha1.update(bytes), digest: () => sha1.digest('hex') };
}

/** A sink that hashes in the calling thread. */
export async function sha1InThisThread(): Promise<Sha1Sink> {
  const sha1 = await createSha1Hasher();
  return {
    push: async (bytes) => sha1.update(bytes),
    digest: async () => sha1.digest(),
  };
}
