// Opaque list cursors for keyset pagination: the sort key and insertion sequence of the last item
// of a page. A cursor only continues the listing (sort and order) it came from.
import { FileSort, SortOrder } from '@filestore/contract';
import { z } from 'zod';
import { packCursor, unpackCursor } from '../http/cursor-codec.ts';
import { HttpError } from '../http/errors.ts';

const Position = z.tuple([
  z.literal(2),
  FileSort,
  SortOrder,
  z.union([z.string(), z.number()]),
  z.number().int().nonnegative(),
]);

export interface Listing {
  sort: FileSort;
  order: SortOrder;
}

/** Where the next page starts: after the item whose sort key is `key` and sequence is `seq`. */
export interface After {
  key: string | number;
  seq: number;
}

export const encodeCursor = ({ sort, order }: Listing, { key, seq }: After): string =>
  packCursor([2, sort, order, key, seq]);

export function decodeCursor(cursor: string, listing: Listing): After {
  const parsed = Position.safeParse(unpackCursor(cursor));
  if (!parsed.success || parsed.data[1] !== listing.sort || parsed.data[2] !== listing.order)
    throw new HttpError('invalid_cursor', 'cursor: not a cursor from this list');
  return { key: parsed.data[3], seq: parsed.data[4] };
}
