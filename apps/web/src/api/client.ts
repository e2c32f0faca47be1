// The one HTTP client: same-origin JSON with the session cookie. It only turns error answers into
// a typed ApiError; what to show or where to go is decided by the caller.
import type { ErrorBody } from '@filestore/contract';

export class ApiError extends Error {
  /** A 429's `Retry-After`: how long to wait before trying again. */
  retryAfterSeconds?: number;
  /** `409 offset_mismatch`: the bytes of the chunk the server holds. */
  offset?: number;

  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** The wire code (`not_found`, `username_taken`…), or `network_error` for no answer. */
    readonly code: string,
    message: string,
    /** `409 chunks_missing` carries the chunk indexes the server still lacks. */
    readonly missing?: number[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const networkError = () =>
  new ApiError(0, 'network_error', 'The server could not be reached');

/** Builds the ApiError of a failed answer; bodies that are not our error JSON keep the status. */
export function toApiError(status: number, bodyText: string): ApiError {
  try {
    const { error } = JSON.parse(bodyText) as ErrorBody;
    if (typeof error?.code === 'string') {
      const err = new ApiError(status, error.code, error.message, error.missing);
      if (error.offset !== undefined) err.offset = error.offset;
      return err;
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through.
  }
  return new ApiError(status, `http_${status}`, bodyText.slice(0, 200) || `HTTP ${status}`);
}

export const isApiError = (err: unknown, code?: string): err is ApiError =>
  err instanceof ApiError && (code === undefined || err.code === code);

export interface ApiRequestInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends a request with a JSON body (if any); resolves to the answer once it is a 2xx. */
export async function apiRequest(path: string, init: ApiRequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        ...init.headers,
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      // Never an answer from the HTTP cache: Chromium keeps a 410 without Cache-Control for good,
      // so a share link seen while its file was in the trash would stay "gone" after a restore.
      cache: 'no-store',
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw networkError();
  }
  if (!response.ok) {
    const err = toApiError(response.status, await response.text());
    const retryAfter = Number(response.headers.get('Retry-After'));
    if (retryAfter > 0) err.retryAfterSeconds = retryAfter;
    throw err;
  }
  return response;
}

/** Sends a JSON request and parses the JSON answer; 204 resolves to undefined. */
export async function apiFetch<T>(path: string, init: ApiRequestInit = {}): Promise<T> {
  const response = await apiRequest(path, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
