// The trash's list cursor: the deletion time and id of the last item of a page (newest first).
import { z } from 'zod';
import { packCursor, unpackCursor } from '../http/cursor-codec.ts';
import { HttpError } from '../http/errors.ts';

const Position = z.tuple([z.literal('t1'), z.number().int().nonnegative(), z.string().max(64)]);

export interface TrashPosition {
  deletedAt: Date;
  id: string;
}

export const encodeTrashCursor = ({ deletedAt, id }: TrashPosition): string =>
  packCursor(['t1', deletedAt.getTime(), id]);

export function decodeTrashCursor(cursor: string): TrashPosition {
  const parsed = Position.safeParse(unpackCursor(cursor));
  if (!parsed.success) throw new HttpError('invalid_cursor', 'cursor: not a cursor from the trash');
  return { deletedAt: new Date(parsed.data[1]), id: parsed.data[2] };
}
