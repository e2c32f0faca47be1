import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiFetch, toApiError } from './client.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiFetch', () => {
  it('never takes an answer from the HTTP cache (a 410 would be kept for good)', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    await apiFetch('/api/public/shares/t');
    expect(fetch).toHaveBeenCalledWith(
      '/api/public/shares/t',
      expect.objectContaining({ cache: 'no-store' }),
    );
  });
});

describe('toApiError', () => {
  it('reads the code and message of our error JSON', () => {
    const err = toApiError(409, '{"error":{"code":"username_taken","message":"taken"}}');
    expect(err).toMatchObject({ status: 409, code: 'username_taken', message: 'taken' });
  });

  it('keeps the status of answers that are not our JSON', () => {
    expect(toApiError(502, '<html>Bad Gateway</html>')).toMatchObject({
      status: 502,
      code: 'http_502',
    });
    expect(toApiError(500, '')).toMatchObject({ code: 'http_500', message: 'HTTP 500' });
  });
});
