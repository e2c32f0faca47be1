// A chunk's CRC32C for `Upload-Checksum: crc32c <base64>` (tus checksum extension): the cheapest
// check the server takes, and enough against a chunk damaged on its way (the SHA-1 at complete
// covers the whole file). Castagnoli polynomial, the 4 bytes big-endian as base64.
import { createCRC32, type IHasher } from 'hash-wasm';
import { HashError } from './hash-error.ts';

const CASTAGNOLI = 0x82f63b78;

let crc: Promise<IHasher> | undefined;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64 CRC32C of `bytes`. */
export async function crc32cBase64(bytes: Uint8Array): Promise<string> {
  if (typeof WebAssembly === 'undefined') {
    throw new HashError('wasm_unavailable', 'WebAssembly unavailable');
  }
  const hasher = await (crc ??= createCRC32(CASTAGNOLI));
  // init → update → digest run without an await between them, so one instance serves every call.
  hasher.init();
  hasher.update(bytes);
  return toBase64(hasher.digest('binary'));
}

/** The `Upload-Checksum` header's value for a whole chunk. */
export const uploadChecksum = async (chunk: Uint8Array) => `crc32c ${await crc32cBase64(chunk)}`;
