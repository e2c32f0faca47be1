import { describe, expect, it } from 'vitest';
import { EXPIRY_CHOICES, expiresInSeconds, parseDownloadLimit } from './expiry.ts';

describe('expiresInSeconds', () => {
  it('turns each choice into seconds, and "never" into no field', () => {
    expect(EXPIRY_CHOICES.map(expiresInSeconds)).toEqual([86_400, 604_800, 2_592_000, undefined]);
  });
});

describe('parseDownloadLimit', () => {
  it('reads a whole number of downloads', () => {
    expect(parseDownloadLimit('3')).toBe(3);
    expect(parseDownloadLimit(' 12 ')).toBe(12);
  });

  it('means no limit when empty', () => {
    expect(parseDownloadLimit('')).toBeUndefined();
    expect(parseDownloadLimit('   ')).toBeUndefined();
  });

  it('refuses zero, negatives, fractions and words', () => {
    for (const text of ['0', '-1', '1.5', 'ten', '1e3']) {
      expect(parseDownloadLimit(text)).toBe('invalid');
    }
  });
});
