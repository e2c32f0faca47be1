// Issue 10, item 11: hardening headers on every kind of answer, a sandbox on user content, and
// X-Forwarded-For believed only from TRUSTED_PROXIES. (The SPA's own CSP is checked in a browser:
// e2e/tests/security-headers.spec.ts.)
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Client, newUser, uniqueName } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let user: Client;
let pictureId: string;
let shareToken: string;

beforeAll(async () => {
  server = await startTestServer();
  user = await newUser(server.baseUrl);
  pictureId = (await user.upload('holiday.png', randomBytes(3000))).body.file.id;
  shareToken = (await user.call('POST', '/api/shares', { fileId: pictureId })).body.share.token;
});
afterAll(() => server.stop());

const API_CSP = "default-src 'none';frame-ancestors 'self'";
const SANDBOX = "sandbox; frame-ancestors 'self'";

/** Each kind of answer the API gives, and the CSP it must carry. */
const answers: [string, () => Promise<Response>, string][] = [
  ['JSON', () => user.raw('GET', '/api/me'), API_CSP],
  ['a JSON error', () => new Client(server.baseUrl).raw('GET', '/api/me'), API_CSP],
  ['an unknown route', () => user.raw('GET', '/api/nothing-here'), API_CSP],
  ['a health check', () => user.raw('GET', '/healthz'), API_CSP],
  ['a download', () => user.raw('GET', `/api/files/${pictureId}/content`), SANDBOX],
  [
    'inline content for the viewer',
    () => user.raw('GET', `/api/files/${pictureId}/content?disposition=inline`),
    SANDBOX,
  ],
  [
    'a range of inline content',
    () =>
      user.raw('GET', `/api/files/${pictureId}/content?disposition=inline`, {
        headers: { range: 'bytes=0-99' },
      }),
    SANDBOX,
  ],
  [
    'a zip',
    () =>
      user.raw('POST', '/api/files/archive', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fileIds: [pictureId] }),
      }),
    API_CSP,
  ],
  ['a share page', () => user.raw('GET', `/api/public/shares/${shareToken}`), API_CSP],
  ["a share's content", () => user.raw('GET', `/api/public/shares/${shareToken}/content`), SANDBOX],
];

describe('hardening headers', () => {
  it.each(answers)('%s: nosniff, Referrer-Policy, framing and its CSP', async (_, send, csp) => {
    const res = await send();
    await res.arrayBuffer();
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+$/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('inline content keeps a type that cannot run: HTML is plain text, in a sandbox', async () => {
    const page = (await user.upload('page.html', '<script>alert(1)</script>')).body.file;
    const res = await user.raw('GET', `/api/files/${page.id}/content?disposition=inline`);
    expect(await res.text()).toBe('<script>alert(1)</script>');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(SANDBOX);
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
  });
});

describe('TRUSTED_PROXIES', () => {
  const PASSWORD = 'correct horse';
  /** Five wrong passwords "from" one address, then the right one "from" another. */
  async function ownerAfterAttack(target: TestServer) {
    const username = uniqueName('proxy');
    const client = new Client(target.baseUrl);
    await client.call('POST', '/api/auth/register', { username, password: PASSWORD });
    const login = (password: string, ip: string) =>
      client.call('POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': ip });
    for (let i = 0; i < 5; i++)
      expect((await login('wrong password', '203.0.113.7')).status).toBe(401);
    return (await login(PASSWORD, '198.51.100.9')).status;
  }

  it('by default loopback is a trusted proxy: its X-Forwarded-For names the client', async () => {
    expect(await ownerAfterAttack(server)).toBe(200);
  });

  it('a proxy not named is not believed: the addresses it claims are all its own', async () => {
    const elsewhere = await startTestServer({ TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16' });
    try {
      expect(await ownerAfterAttack(elsewhere)).toBe(429);
      // Nor its X-Forwarded-Host and -Proto: a share link names the address really used.
      const owner = await newUser(elsewhere.baseUrl);
      const file = (await owner.upload('a.txt', 'a')).body.file;
      const share = await owner.call(
        'POST',
        '/api/shares',
        { fileId: file.id },
        { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
      );
      expect(share.body.share.url).toBe(`${elsewhere.baseUrl}/s/${share.body.share.token}`);
    } finally {
      await elsewhere.stop();
    }
  });

  it('takes names, addresses and ranges, or none; anything else stops start-up naming it', () => {
    expect(loadConfig({}).trustedProxies).toEqual(['loopback']);
    expect(loadConfig({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,fd00::/8' }).trustedProxies).toEqual(
      ['loopback', '10.0.0.0/8', 'fd00::/8'],
    );
    expect(loadConfig({ TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
    for (const wrong of ['everything', '10.0.0.0/33', '10.0.0.300', 'loopback,,x'])
      expect(() => loadConfig({ TRUSTED_PROXIES: wrong })).toThrow(/^TRUSTED_PROXIES: /);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'everything' })).toThrow(ConfigError);
  });
});
