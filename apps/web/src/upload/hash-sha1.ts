// SHA-1 of a Blob in constant memory: fixed-size File.slice reads fed to hash-wasm's incremental
// SHA-1. Runs anywhere with Blob and WebAssembly: the hash worker, the page, Node (tests).
import { createSHA1 } from 'hash-wasm';
import { HashError } from './hash-error.ts';

/** Bytes read per step: big enough to amortise each read, small enough to keep memory flat. */
export const HASH_SLICE_BYTES = 8 * 1024 * 1024;

async function readSlice(blob: Blob, offset: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.slice(offset, offset + HASH_SLICE_BYTES).arrayBuffer());
  } catch (err) {
    // A folder dropped as a "file", or a file changed or removed on disk since it was picked.
    throw new HashError('read_failed', `Could not read the file: ${String(err)}`);
  }
}

/** Lowercase hex SHA-1 of `blob`; `onProgress` gets the number of bytes hashed so far. */
export async function hashFileSha1(
  blob: Blob,
  onProgress: (hashedBytes: number) => void = () => {},
): Promise<string> {
  if (typeof WebAssembly === 'undefined') {
    throw new HashError('wasm_unavailable', 'WebAssembly unavailable');
  }
  const sha1 = await createSHA1();
  sha1.init();
  // Read the next slice while hashing this one, so disk and CPU overlap: at most two slices live.
  let pending = readSlice(blob, 0);
  for (let offset = 0; offset < blob.size; offset += HASH_SLICE_BYTES) {
    const bytes = await pending;
    const next = offset + HASH_SLICE_BYTES;
    if (next < blob.size) pending = readSlice(blob, next);
    sha1.update(bytes);
    onProgress(offset + bytes.byteLength);
  }
  return sha1.digest('hex');
}
