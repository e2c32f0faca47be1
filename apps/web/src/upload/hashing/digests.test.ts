import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32cBase64, uploadChecksum } from './crc32c.ts';
import { createSha1Hasher } from './sha1.ts';

describe('crc32cBase64', () => {
  it('is CRC32C (Castagnoli), big-endian, as base64: the check value of "123456789" is e3069283', async () => {
    const check = Buffer.from('e3069283', 'hex').toString('base64');
    expect(await crc32cBase64(new TextEncoder().encode('123456789'))).toBe(check);
    expect(await uploadChecksum(new TextEncoder().encode('123456789'))).toBe(`crc32c ${check}`);
  });

  it('gives a different checksum when one byte changes', async () => {
    const bytes = randomBytes(10_000);
    const before = await crc32cBase64(bytes);
    bytes[5_000]! ^= 1;
    expect(await crc32cBase64(bytes)).not.toBe(before);
  });
});

describe('createSha1Hasher', () => {
  it('matches node:crypto when fed in pieces', async () => {
    const bytes = randomBytes(300_000);
    const hasher = await createSha1Hasher();
    hasher.update(bytes.subarray(0, 100_000));
    hasher.update(bytes.subarray(100_000));
    expect(hasher.digest()).toBe(createHash('sha1').update(bytes).digest('hex'));
  });
});
