// Share tokens and extraction codes (提取码). Tokens: 22 base62 characters from the CSPRNG (131 bits),
// never sequential or derived. Codes: 4 or 8 characters without look-alikes, stored only as an
// HMAC bound to their token, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { SHARE_CODE_ALPHABET, SHARE_CODE_LENGTHS, type ShareCodeKind } from '@filestore/contract';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const newShareToken = customAlphabet(BASE62, 22);
export const newShareCode = (kind: ShareCodeKind) =>
  customAlphabet(SHARE_CODE_ALPHABET, SHARE_CODE_LENGTHS[kind])();

export class CodeHasher {
  constructor(private readonly secret: Buffer) {}

  /** Codes are typed by people: case and surrounding spaces do not matter. */
  hash(token: string, code: string): string {
    return createHmac('sha256', this.secret)
      .update(`${token}:${code.trim().toUpperCase()}`)
      .digest('base64url');
  }

  matches(token: string, code: string, stored: string): boolean {
    const given = Buffer.from(this.hash(token, code));
    const expected = Buffer.from(stored);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
