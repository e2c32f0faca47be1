import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, newUser, uniqueName } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let anonymous: Client;

beforeAll(async () => {
  server = await startTestServer();
  anonymous = new Client(server.baseUrl);
});
afterAll(() => server.stop());

describe('POST /api/auth/register', () => {
  it('creates a user: 201 {user} without secrets', async () => {
    const username = uniqueName('new');
    const res = await anonymous.call('POST', '/api/auth/register', {
      username,
      password: 'password123',
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      username,
      usedBytes: 0,
      quotaBytes: null,
      role: expect.stringMatching(/^(admin|user)$/),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|salt|password/i);
  });

  it('accepts Chinese letters and . _ -', async () => {
    const res = await anonymous.call('POST', '/api/auth/register', {
      username: `张三.li_${Date.now() % 1e6}`,
      password: 'password123',
    });
    expect(res.status).toBe(201);
  });

  it('409 username_taken, also when only the letter case differs', async () => {
    const username = uniqueName('dup');
    await anonymous.call('POST', '/api/auth/register', { username, password: 'password123' });
    expectError(
      await anonymous.call('POST', '/api/auth/register', { username, password: 'password456' }),
      409,
      'username_taken',
    );
    expectError(
      await anonymous.call('POST', '/api/auth/register', {
        username: username.toUpperCase(),
        password: 'password456',
      }),
      409,
      'username_taken',
    );
  });

  it.each([
    ['missing fields', {}],
    ['no password', { username: 'valid_name' }],
    ['short password', { username: 'valid_name', password: 'short' }],
    ['short name', { username: 'ab', password: 'password123' }],
    ['long name', { username: 'a'.repeat(33), password: 'password123' }],
    ['slash in name', { username: 'a/b/c', password: 'password123' }],
    ['traversal name', { username: '../../etc/passwd', password: 'password123' }],
    ['NUL in name', { username: 'abc\u0000def', password: 'password123' }],
    ['number as name', { username: 12345, password: 'password123' }],
    ['array as password', { username: 'valid_name', password: ['password123'] }],
  ])('400 for %s', async (_label, body) => {
    expectError(await anonymous.call('POST', '/api/auth/register', body), 400);
  });

  it('400 invalid_json for a malformed body, 413 for an oversized one', async () => {
    const bad = await anonymous.raw('POST', '/api/auth/register', {
      headers: { 'content-type': 'application/json' },
      body: '{"username": ',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
    const huge = await anonymous.call('POST', '/api/auth/register', {
      username: 'x'.repeat(200_000),
      password: 'p',
    });
    expectError(huge, 413, 'payload_too_large');
  });
});

describe('POST /api/auth/login, GET /api/me, POST /api/auth/logout', () => {
  it('logs in with a token and an httpOnly SameSite=Lax cookie; both authenticate /api/me', async () => {
    const username = uniqueName('login');
    await anonymous.call('POST', '/api/auth/register', { username, password: 'password123' });
    const login = await anonymous.call('POST', '/api/auth/login', {
      username,
      password: 'password123',
    });
    expect(login.status).toBe(200);
    expect(login.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.body.user.username).toBe(username);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^fs_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const byBearer = await new Client(server.baseUrl, login.body.token).call('GET', '/api/me');
    expect(byBearer.body.user).toMatchObject({ username, usedBytes: 0 });
    const byCookie = await anonymous.call('GET', '/api/me', undefined, {
      cookie: cookie.split(';')[0]!,
    });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.user.username).toBe(username);
  });

  it('the stored session is only a hash of the token', async () => {
    const user = await newUser(server.baseUrl);
    const rows = await server.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === user.token)).toBe(false);
  });

  it('401 invalid_credentials for a wrong password or unknown user', async () => {
    const user = await newUser(server.baseUrl);
    expectError(
      await anonymous.call('POST', '/api/auth/login', {
        username: user.username,
        password: 'wrong password',
      }),
      401,
      'invalid_credentials',
    );
    expectError(
      await anonymous.call('POST', '/api/auth/login', {
        username: uniqueName('ghost'),
        password: 'whatever1',
      }),
      401,
      'invalid_credentials',
    );
  });

  it('throttles repeated failures per username: 429 with Retry-After, even for the right password', async () => {
    const user = await newUser(server.baseUrl);
    for (let i = 0; i < 5; i++) {
      expectError(
        await anonymous.call('POST', '/api/auth/login', {
          username: user.username,
          password: 'nope-nope',
        }),
        401,
      );
    }
    const blocked = await anonymous.call('POST', '/api/auth/login', {
      username: user.username,
      password: 'correct horse',
    });
    expectError(blocked, 429, 'too_many_requests');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logout revokes the token and clears the cookie', async () => {
    const user = await newUser(server.baseUrl);
    const out = await user.call('POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/fs_session=;/);
    expectError(await user.call('GET', '/api/me'), 401, 'unauthorized');
  });

  it('401 for a missing, forged, malformed or expired token', async () => {
    expectError(await anonymous.call('GET', '/api/me'), 401);
    expectError(await new Client(server.baseUrl, 'A'.repeat(43)).call('GET', '/api/me'), 401);
    expectError(
      await anonymous.call('GET', '/api/me', undefined, { authorization: 'Basic abc' }),
      401,
    );
    expectError(
      await anonymous.call('GET', '/api/me', undefined, { cookie: 'fs_session=../../etc' }),
      401,
    );
    const user = await newUser(server.baseUrl);
    await server.query('UPDATE sessions SET expires_at = ?', [new Date(Date.now() - 1000)]);
    expectError(await user.call('GET', '/api/me'), 401);
  });
});
