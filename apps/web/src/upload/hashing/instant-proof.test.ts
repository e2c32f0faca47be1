import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { proveRange } from './instant-proof.ts';

const hmac = (nonce: string, bytes: Uint8Array) =>
  createHmac('sha256', nonce).update(bytes).digest('hex');

describe('proveRange', () => {
  it('is HMAC-SHA-256 keyed by the nonce over the challenged range, as the server computes it', async () => {
    const bytes = randomBytes(10_000);
    const nonce = randomBytes(16).toString('hex');
    const proof = await proveRange(new Blob([bytes]), { offset: 1234, length: 4096, nonce });
    expect(proof).toBe(hmac(nonce, bytes.subarray(1234, 1234 + 4096)));
  });

  it('covers a whole small file and the empty range, and changes with the nonce', async () => {
    const bytes = randomBytes(100);
    const blob = new Blob([bytes]);
    const first = await proveRange(blob, { offset: 0, length: 100, nonce: 'a' });
    expect(first).toBe(hmac('a', bytes));
    expect(await proveRange(blob, { offset: 0, length: 100, nonce: 'b' })).not.toBe(first);
    expect(await proveRange(new Blob([]), { offset: 0, length: 0, nonce: 'n' })).toBe(
      hmac('n', new Uint8Array()),
    );
  });
});
