import { describe, expect, it } from 'vitest';
import { toApiError } from './client.ts';

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
