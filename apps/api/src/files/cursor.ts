// Opaque list cursors for keyset pagination: they hide the insertion sequence they point after.
import { HttpError } from '../http/errors.ts';

export const encodeCursor = (seq: number): string => Buffer.from(`v1:${seq}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const match = /^v1:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const seq = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(seq))
    throw new HttpError('invalid_cursor', 'cursor: not a cursor from this list');
  return seq;
}
