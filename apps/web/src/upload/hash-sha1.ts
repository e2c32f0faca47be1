// SHA-1 of a Blob in constant memory: fixed-size File.slice reads fed to hash-wasm's incremental
// SHA-1. In the browser the two halves run on different threads (hash-client.ts reads, hash-worker.ts
// hashes), because a Blob read's completion costs CPU on the thread that awaits it: reading on the
// hashing thread serialises the two. Everything here also runs in Node (tests).
import { createSHA1 } from 'hash-wasm';
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';
import { createSlots, type Release } from './slots.ts';

const MiB = 1024 * 1024;
/** Bytes read per step: Chromium reads big slices much faster (fewer round trips to the browser). */
export const HASH_SLICE_BYTES = 16 * MiB;
/** Slices read or waiting to be hashed at once, so memory stays at most this × HASH_SLICE_BYTES. */
export const HASH_SLICES_IN_FLIGHT = 3;

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

async function readSlice(blob: Blob, offset: number): Promise<ArrayBuffer> {
  try {
    return await blob.slice(offset, offset + HASH_SLICE_BYTES).arrayBuffer();
  } catch (err) {
    // A folder dropped as a "file", or a file changed or removed on disk since it was picked.
    throw new HashError('read_failed', `Could not read the file: ${String(err)}`);
  }
}

/**
 * Reads `blob` slice by slice, in order, and hands each slice to `deliver` with the function to
 * call once it is hashed. A slice takes one of `maxInFlight` slots before its read starts and
 * keeps it until released, so reading runs ahead of hashing by at most that many slices. Rejects
 * with HashError('read_failed'), or with `signal`'s reason (then nothing more is delivered).
 */
export async function feedSlices(
  blob: Blob,
  deliver: (bytes: ArrayBuffer, release: Release) => void,
  {
    maxInFlight = HASH_SLICES_IN_FLIGHT,
    signal,
  }: { maxInFlight?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const slots = createSlots(maxInFlight);
  for (let offset = 0; offset < blob.size; offset += HASH_SLICE_BYTES) {
    const release = await slots.acquire(signal);
    const bytes = await readSlice(blob, offset);
    signal?.throwIfAborted();
    deliver(bytes, release);
  }
}

/**
 * The hash worker's side of hash-protocol.ts: returns the handler for the page's requests, which
 * answers through `reply`. Requests are handled in order; the hasher is created at once, so the
 * WebAssembly compiles while the first slice is read.
 */
export function handleHashRequests(reply: (message: HashReply) => void) {
  const hasher = createSha1Hasher();
  hasher.catch(() => {}); // reported on the first request
  let hashedBytes = 0;
  return async (request: HashRequest): Promise<void> => {
    try {
      const sha1 = await hasher;
      if (request.type === 'slice') {
        sha1.update(new Uint8Array(request.bytes));
        hashedBytes += request.bytes.byteLength;
        reply({ type: 'progress', hashedBytes });
      } else {
        reply({ type: 'done', sha1: sha1.digest() });
      }
    } catch (err) {
      const code = err instanceof HashError ? err.code : 'worker_failed';
      reply({ type: 'error', code, message: String(err) });
    }
  };
}

/**
 * Lowercase hex SHA-1 of `blob` on this thread alone; `onProgress` gets the number of bytes hashed
 * so far. The browser uses hashInWorker (hash-client.ts), which overlaps reading and hashing.
 */
export async function hashFileSha1(
  blob: Blob,
  onProgress: (hashedBytes: number) => void = () => {},
): Promise<string> {
  const sha1 = await createSha1Hasher();
  let hashedBytes = 0;
  await feedSlices(blob, (bytes, release) => {
    sha1.update(new Uint8Array(bytes));
    hashedBytes += bytes.byteLength;
    onProgress(hashedBytes);
    release();
  });
  return sha1.digest();
}
