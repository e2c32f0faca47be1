// The engine of an upload's running SHA-1 (prefix-hasher.ts): one whose state can be saved between
// chunks and loaded by another process. New uploads hash with OpenSSL's SHA-1 through
// @filestore/resumable-sha1 (~4 × hash-wasm's speed here, docs/benchmarks.md "Issue 11"); a state
// saved by hash-wasm (uploads begun before that engine) is continued by hash-wasm.
import { ResumableSha1 } from '@filestore/resumable-sha1';
import { createSHA1 } from 'hash-wasm';

export interface RunningSha1 {
  update(bytes: Uint8Array): void;
  /** The state to store: the hasher continues from it in `runningSha1`. */
  save(): Uint8Array;
  digestHex(): string;
}

/** A hasher from a saved state, or a fresh one. */
export async function runningSha1(saved: Buffer | null): Promise<RunningSha1> {
  if (!saved) return new ResumableSha1();
  if (ResumableSha1.isSavedState(saved)) return ResumableSha1.load(saved);
  const sha1 = await createSHA1();
  sha1.load(saved);
  return {
    update: (bytes) => sha1.update(bytes),
    save: () => sha1.save(),
    digestHex: () => sha1.digest('hex'),
  };
}
