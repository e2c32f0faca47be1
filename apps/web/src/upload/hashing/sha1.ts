// The whole file's SHA-1, fed in order, chunk after chunk, by the file worker as it reads them.
import { createSHA1 } from 'hash-wasm';
import { HashError } from './hash-error.ts';

export interface Sha1Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
}

export async function createSha1Hasher(): Promise<Sha1Hasher> {
  if (typeof WebAssembly === 'undefined') {
    throw new HashError('wasm_unavailable', 'WebAssembly unavailable');
  }
  const sha1 = await createSHA1();
  sha1.init();
  return { update: (bytes) => sha1.update(bytes), digest: () => sha1.digest('hex') };
}
