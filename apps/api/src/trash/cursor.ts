// The trash's list cursor: the deletion time and id of the last item of a page (newest first).
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';

const Position = z.tuple([z.literal('t1'), z.number().int().nonnegative(), z.string().max(64)]);

export interface TrashPosition {
  deletedAt: Date;
  id: string;
}

export const encodeTrashCursor = ({ deletedAt, id }: TrashPosition): string =>
  Buffer.from(JSON.stringify(['t1', deletedAt.getTime(), id])).toString('base64url');

export function decodeTrashCursor(cursor: string): TrashPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = Position.safeParse(decoded);
  if (!parsed.success) throw new HttpError('invalid_cursor', 'cursor: not a cursor from the trash');
  return { deletedAt: new Date(parsed.data[1]), id: parsed.data[2] };
}
