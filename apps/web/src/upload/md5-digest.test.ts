import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Base64, md5Base64Fallback } from './md5-digest.ts';

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
const buffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('md5Base64', () => {
  it('is the base64 MD5 that Content-MD5 carries, with hash-wasm and with spark-md5', async () => {
    for (const bytes of [new Uint8Array(0), randomBytes(1), randomBytes(3 * 1024 * 1024 + 7)]) {
      expect(await md5Base64(buffer(bytes))).toBe(md5(bytes));
      expect(md5Base64Fallback(buffer(bytes))).toBe(md5(bytes));
    }
    expect(await md5Base64(buffer(new Uint8Array(0)))).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
