// One table of error codes, one error class, one middleware that writes `{error: {code, message}}`.
// Clients never see a stack trace; real faults are logged with theirs and answered 500.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { RETRY_MS } from '../db/replicas.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { discardUnreadBody } from './request-body.ts';

const ERRORS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_name: 400,
  invalid_cursor: 400,
  missing_file: 400,
  too_many_files: 400,
  invalid_chunk: 400,
  bad_digest: 400,
  unsupported_checksum: 400,
  sha1_required: 400,
  invalid_move: 400,
  too_deep: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  code_required: 401,
  bad_proof: 403,
  bad_code: 403,
  registration_closed: 403,
  csrf: 403,
  not_found: 404,
  not_served_here: 404,
  username_taken: 409,
  name_taken: 409,
  upload_closed: 409,
  chunks_missing: 409,
  folder_busy: 409,
  offset_mismatch: 409,
  chunk_busy: 409,
  share_gone: 410,
  payload_too_large: 413,
  quota_exceeded: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  sha1_mismatch: 422,
  too_many_requests: 429,
  checksum_mismatch: 460,
  internal_error: 500,
  service_unavailable: 503,
  database_unavailable: 503,
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Extra fields of the error body, e.g. `missing` for chunks_missing. */
  readonly details: Record<string, unknown>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.status = ERRORS[code];
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}

export const notFound = (what = 'file') => new HttpError('not_found', `No such ${what}`);

/** UPLOAD_MAX_BYTES, for every upload path. */
export const fileTooLarge = (maxBytes: number) =>
  new HttpError('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes`);

/** DEFAULT_QUOTA_BYTES, for every path that adds a file. */
export const quotaExceeded = () =>
  new HttpError('quota_exceeded', 'This file does not fit in your storage quota');

export const unknownRoute: RequestHandler = (req) => {
  throw new HttpError('not_found', `No route for ${req.method} ${req.path}`);
};

// body-parser's own errors carry a `type` and a 4xx `status`.
interface ParserError {
  type?: string;
  status?: number;
}

// A full disk under DATA_DIR (or the volume's quota), for a file or the SQLite database in it.
const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

function isOutOfSpace(err: unknown): boolean {
  const { code, original } = (err ?? {}) as { code?: string; original?: { code?: string } };
  return OUT_OF_SPACE.has(code ?? '') || OUT_OF_SPACE.has(original?.code ?? '');
}

function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (isOutOfSpace(err)) {
    return new HttpError('insufficient_storage', 'The server has no room left to store this');
  }
  if (isDatabaseUnavailable(err)) {
    return new HttpError('database_unavailable', 'The database is unavailable; try again shortly', {
      headers: { 'Retry-After': String(Math.ceil(RETRY_MS / 1000)) },
    });
  }
  const parser = err as ParserError;
  if (parser?.type === 'entity.parse.failed')
    return new HttpError('invalid_json', 'The body is not valid JSON');
  if (parser?.type === 'entity.too.large')
    return new HttpError('payload_too_large', 'The body is too large');
  if (parser?.type === 'encoding.unsupported' || parser?.type === 'charset.unsupported') {
    return new HttpError('unsupported_media_type', 'Unsupported body encoding');
  }
  if (typeof parser?.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return new HttpError('invalid_request', 'The request is malformed');
  }
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = toHttpError(err);
  // Logged with the request's one line (http/request-log.ts); a 5xx (507, 503) carries its cause.
  if (!known || known.status >= 500) res.err = err as Error;
  const httpError = known ?? new HttpError('internal_error', 'Something went wrong on our side');
  if (res.headersSent) {
    // The body already started: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  if (!req.complete) discardUnreadBody(req, res);
  // An error is about this moment: browsers keep a 410 or 404 without it for good (a restored
  // file's share link would stay "gone").
  res.set({ 'Cache-Control': 'no-store', ...httpError.headers });
  res.status(httpError.status).json({
    error: { ...httpError.details, code: httpError.code, message: httpError.message },
  });
};
