import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../api/client.ts';
import { backoffDelay, isRetryable } from './retry-policy.ts';

describe('isRetryable', () => {
  it('retries no answer, server faults, 429 and a chunk another PUT still holds', () => {
    expect(isRetryable(networkError())).toBe(true);
    expect(isRetryable(new ApiError(500, 'internal_error', ''))).toBe(true);
    expect(isRetryable(new ApiError(503, 'http_503', ''))).toBe(true);
    expect(isRetryable(new ApiError(429, 'too_many_requests', ''))).toBe(true);
    expect(isRetryable(new ApiError(409, 'chunk_busy', ''))).toBe(true);
  });

  it('never retries other 4xx, aborts or unknown errors', () => {
    for (const [status, code] of [
      [400, 'bad_digest'],
      [400, 'invalid_chunk'],
      [401, 'unauthorized'],
      [404, 'not_found'],
      [409, 'upload_closed'],
      [413, 'payload_too_large'],
    ] as const) {
      expect(isRetryable(new ApiError(status, code, ''))).toBe(false);
    }
    expect(isRetryable(new DOMException('Paused', 'AbortError'))).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s, with jitter in [50%, 100%) of the step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.999999))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('is capped at 20 s', () => {
    expect(backoffDelay(30, () => 0.999999)).toBe(20_000);
    expect(backoffDelay(30, () => 0)).toBe(10_000);
  });
});
