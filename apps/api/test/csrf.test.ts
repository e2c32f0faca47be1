// Issue 10, item 6: a state-changing request that authenticates by cookie must come from the app's
// own pages (Origin, or Sec-Fetch-Site: same-origin), else 403 `csrf` and nothing happens; Bearer
// requests are not affected. "Another app on the same host" is another port of 127.0.0.1 here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, newUser, uniqueName, type Answer } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ownOrigin: string;
const OTHER_PORT = 'http://127.0.0.1:5999';
const SIBLING = 'http://files.example.test';

beforeAll(async () => {
  server = await startTestServer();
  ownOrigin = server.baseUrl;
});
afterAll(() => server.stop());

const PASSWORD = 'correct horse';

/** A browser of a logged-in user: its requests carry only the session cookie. */
async function browser() {
  const username = uniqueName('victim');
  const anonymous = new Client(server.baseUrl);
  await anonymous.call('POST', '/api/auth/register', { username, password: PASSWORD });
  const login = await anonymous.call('POST', '/api/auth/login', { username, password: PASSWORD });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const send = (method: string, path: string, headers: Record<string, string>) =>
    anonymous.call(method, path, undefined, { cookie, ...headers });
  return {
    token: login.body.token as string,
    cookie,
    send,
    /** The zip form the SPA posts into a hidden frame. */
    archive: async (fileIds: string[], headers: Record<string, string>): Promise<Answer> => {
      const res = await anonymous.raw('POST', '/api/files/archive', {
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ selection: JSON.stringify({ fileIds }) }).toString(),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const isJson = res.headers.get('content-type')?.includes('json');
      return {
        status: res.status,
        headers: res.headers,
        body: isJson ? JSON.parse(bytes.toString()) : bytes,
      };
    },
    files: async () =>
      (await new Client(server.baseUrl, login.body.token).call('GET', '/api/files')).body.items,
    me: () => anonymous.call('GET', '/api/me', undefined, { cookie }),
  };
}

/** A link to someone else's file, for the victim to "save to my drive". */
async function someoneElsesShare() {
  const owner = await newUser(server.baseUrl);
  const file = (await owner.upload('offer.txt', 'take me')).body.file;
  return (await owner.call('POST', '/api/shares', { fileId: file.id })).body.share.token as string;
}

describe('cross-site requests with the session cookie are refused', () => {
  it.each([
    ['another port of the same host (Origin)', { origin: OTHER_PORT }],
    ['a sibling subdomain (Origin)', { origin: SIBLING }],
    ['a sibling subdomain (Sec-Fetch-Site: same-site)', { 'sec-fetch-site': 'same-site' }],
    ['another site, even with our Origin forged', { 'sec-fetch-site': 'cross-site' }],
    ['a page whose Origin is hidden (null)', { origin: 'null' }],
    ['a request that says nothing of where it comes from', {}],
  ])('%s: save-to-drive, archive and logout answer 403 csrf and do nothing', async (_, headers) => {
    const victim = await browser();
    const token = await someoneElsesShare();
    expectError(await victim.send('POST', `/api/shares/${token}/save`, headers), 403, 'csrf');
    expect(await victim.files()).toEqual([]);

    const own = (await new Client(server.baseUrl, victim.token).upload('mine.txt', 'mine')).body
      .file;
    expectError(await victim.archive([own.id], headers), 403, 'csrf');

    expectError(await victim.send('POST', '/api/auth/logout', headers), 403, 'csrf');
    expect((await victim.me()).status).toBe(200);
  });
});

describe('requests from our own pages, and Bearer requests, work', () => {
  it.each([
    ['Origin is ours', () => ({ origin: ownOrigin })],
    ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
  ])('%s: save-to-drive, archive and logout do their work', async (_, headers) => {
    const victim = await browser();
    const token = await someoneElsesShare();
    const saved = await victim.send('POST', `/api/shares/${token}/save`, headers());
    expect(saved.status).toBe(201);
    expect((await victim.files()).map((file: { name: string }) => file.name)).toEqual([
      'offer.txt',
    ]);

    const zip = await victim.archive([saved.body.file.id], headers());
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');

    expect((await victim.send('POST', '/api/auth/logout', headers())).status).toBe(204);
    expectError(await victim.me(), 401, 'unauthorized');
  });

  it('a Bearer request needs no Origin, and a foreign one does not matter', async () => {
    const user = await newUser(server.baseUrl);
    const token = await someoneElsesShare();
    expect((await user.call('POST', `/api/shares/${token}/save`)).status).toBe(201);
    const other = await someoneElsesShare();
    expect(
      (await user.call('POST', `/api/shares/${other}/save`, undefined, { origin: OTHER_PORT }))
        .status,
    ).toBe(201);
    expect((await user.call('POST', '/api/auth/logout')).status).toBe(204);
  });

  it('reads are not checked: GET with the cookie from anywhere still answers', async () => {
    const victim = await browser();
    expect((await victim.send('GET', '/api/me', { origin: OTHER_PORT })).status).toBe(200);
  });
});

describe('login and register (they set the cookie)', () => {
  it('from another site: 403 csrf and no cookie (login CSRF); from a script without Origin: fine', async () => {
    const username = uniqueName('login');
    const anonymous = new Client(server.baseUrl);
    const body = { username, password: PASSWORD };
    expectError(
      await anonymous.call('POST', '/api/auth/register', body, { origin: OTHER_PORT }),
      403,
      'csrf',
    );
    expect((await anonymous.call('POST', '/api/auth/register', body)).status).toBe(201);
    const forged = await anonymous.call('POST', '/api/auth/login', body, {
      'sec-fetch-site': 'cross-site',
    });
    expectError(forged, 403, 'csrf');
    expect(forged.headers.get('set-cookie')).toBeNull();
    const fromOurPage = await anonymous.call('POST', '/api/auth/login', body, {
      origin: ownOrigin,
    });
    expect(fromOurPage.status).toBe(200);
    expect((await anonymous.call('POST', '/api/auth/login', body)).status).toBe(200);
  });
});

describe('behind a trusted proxy', () => {
  it('the public origin is X-Forwarded-Proto and X-Forwarded-Host', async () => {
    const victim = await browser();
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'drive.example.com' };
    expectError(
      await victim.send('POST', '/api/auth/logout', { ...proxied, origin: ownOrigin }),
      403,
      'csrf',
    );
    const fromPublicPage = await victim.send('POST', '/api/auth/logout', {
      ...proxied,
      origin: 'https://drive.example.com',
    });
    expect(fromPublicPage.status).toBe(204);
  });
});
