import { pino, type DestinationStream, type Logger } from 'pino';

// Keys whose values are credentials wherever they appear in a logged object (an error's request,
// its headers, a library's config): the session token and cookie, X-Share-Code, passwords, bearer
// and share tokens, instant-upload proofs and nonces. SQL text and its parameters may quote any of
// them (a share token in a WHERE clause), so a database error is logged by its message alone.
const SECRET_KEYS = [
  'authorization',
  'cookie',
  '"set-cookie"',
  '"x-share-code"',
  'password',
  'token',
  'proof',
  'nonce',
  'sql',
  'parameters',
];

/** `key` at the top of a logged object and up to two levels down (`err.original.sql`). */
const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Structured JSON logs (to stdout unless a destination is given); credentials never reach them.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
