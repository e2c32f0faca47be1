// The base64 MD5 that `Content-MD5` carries (RFC 1864): hash-wasm where WebAssembly runs,
// spark-md5 (plain JavaScript, slower) only where it does not.
import { createMD5, type IHasher } from 'hash-wasm';
import SparkMD5 from 'spark-md5';

let wasmHasher: Promise<IHasher> | undefined;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** spark-md5's MD5, for runtimes without WebAssembly. */
export const md5Base64Fallback = (bytes: ArrayBuffer): string =>
  btoa(SparkMD5.ArrayBuffer.hash(bytes, true)); // `true`: the raw 16 bytes as a binary string

export async function md5Base64(bytes: ArrayBuffer): Promise<string> {
  if (typeof WebAssembly === 'undefined') return md5Base64Fallback(bytes);
  const md5 = await (wasmHasher ??= createMD5());
  // init → update → digest run without an await between them, so one instance serves every call.
  md5.init();
  md5.update(new Uint8Array(bytes));
  return toBase64(md5.digest('binary'));
}
