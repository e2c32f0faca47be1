import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_SLICE_BYTES, hashFileSha1 } from './hash-sha1.ts';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('hashFileSha1', () => {
  it('hashes the empty blob', async () => {
    expect(await hashFileSha1(new Blob([]))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('matches node:crypto across several slices, reporting monotonic progress to the end', async () => {
    const bytes = randomBytes(2 * HASH_SLICE_BYTES + 12_345);
    const progress: number[] = [];
    expect(await hashFileSha1(new Blob([bytes]), (n) => progress.push(n))).toBe(sha1(bytes));
    expect(progress).toEqual([HASH_SLICE_BYTES, 2 * HASH_SLICE_BYTES, bytes.length]);
  });

  it('hashes a sliced range', async () => {
    const bytes = randomBytes(100_000);
    const blob = new Blob([bytes]);
    expect(await hashFileSha1(blob.slice(1_000, 51_000))).toBe(sha1(bytes.subarray(1_000, 51_000)));
  });
});
