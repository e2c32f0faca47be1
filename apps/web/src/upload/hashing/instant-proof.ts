// The instant-upload proof (秒传): HMAC-SHA-256, keyed by the server's fresh nonce (its text),
// over the challenged byte range of our copy. The range is a few KiB at most, so it is read and
// hashed right here; hash-wasm rather than WebCrypto, whose subtle API is missing on plain-HTTP
// origins (a drive on a home network).
import { createHMAC, createSHA256 } from 'hash-wasm';
import type { Challenge } from '../../api/instant-upload.ts';
import { HashError } from './hash-error.ts';

/** Lowercase hex HMAC of bytes [offset, offset+length) of `file`, keyed by the challenge's nonce. */
export async function proveRange(
  file: Blob,
  { offset, length, nonce }: Pick<Challenge, 'offset' | 'length' | 'nonce'>,
): Promise<string> {
  let range: ArrayBuffer;
  try {
    range = await file.slice(offset, offset + length).arrayBuffer();
  } catch (err) {
    // The file changed or was removed on disk since it was picked.
    throw new HashError('read_failed', `Could not read the file: ${String(err)}`);
  }
  const hmac = await createHMAC(createSHA256(), nonce);
  hmac.init();
  hmac.update(new Uint8Array(range));
  return hmac.digest('hex');
}
