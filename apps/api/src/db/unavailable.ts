// Errors that mean "the database cannot be reached right now" rather than a fault of ours: they are
// answered 503 database_unavailable with Retry-After, and the request can simply be repeated.
import { ConnectionError, DatabaseError } from 'sequelize';

const UNAVAILABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN',
  // A primary set read-only while a replica is promoted by hand.
  'ER_OPTION_PREVENTS_STATEMENT',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  if (!(err instanceof DatabaseError)) return false;
  const original = err.original as { fatal?: boolean; code?: string };
  return original.fatal === true || UNAVAILABLE_CODES.has(original.code ?? '');
}
