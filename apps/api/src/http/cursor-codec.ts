// The wire form of every list cursor: a JSON tuple in base64url. Each list validates its own tuple.

export const packCursor = (position: unknown[]): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

/** The tuple a cursor carries, or undefined when it is not one of ours. */
export function unpackCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
