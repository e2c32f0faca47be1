import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, fromAddress, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let visitorIp = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

/** An anonymous visitor from its own address (the throttle counts per IP; the server trusts loopback proxies). */
function visitor(): Client & { ip: string } {
  const ip = `10.6.${Math.floor(++visitorIp / 250)}.${visitorIp % 250}`;
  return fromAddress(new Client(server.baseUrl), ip);
}

async function sharedFile(
  owner: User,
  options: Record<string, unknown> = {},
  bytes = randomBytes(40_000),
) {
  const file = (await owner.upload('季度报告.pdf', bytes)).body.file;
  const created = await owner.call('POST', '/api/shares', { fileId: file.id, ...options });
  expect(created.status).toBe(201);
  return {
    file,
    bytes,
    share: created.body.share as {
      token: string;
      url: string;
      code?: string;
      expiresAt: string | null;
    },
  };
}

const refCount = async (sha1: string) =>
  (
    await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    )
  )[0]?.ref_count;

async function download(client: Client, token: string, headers: HeadersInit = {}, query = '') {
  const res = await client.raw('GET', `/api/public/shares/${token}/content${query}`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('share links', () => {
  it('a link without a code: public page, bytes with Range, counters, listing', async () => {
    const owner = await newUser(server.baseUrl);
    const { file, bytes, share } = await sharedFile(owner);
    expect(share.token).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(share.url).toBe(`${server.baseUrl}/s/${share.token}`);
    expect(share.code).toBeUndefined();
    expect(share.expiresAt).toBeNull();

    const guest = visitor();
    const info = await guest.call('GET', `/api/public/shares/${share.token}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      name: '季度报告.pdf',
      size: bytes.length,
      owner: owner.username,
      expiresAt: null,
    });

    const whole = await download(guest, share.token);
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(bytes)).toBe(true);
    expect(whole.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const middle = await download(guest, share.token, { range: 'bytes=100-199' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(middle.bytes.equals(bytes.subarray(100, 200))).toBe(true);
    const head = await download(guest, share.token, { range: 'bytes=0-9' });
    expect(head.status).toBe(206);

    const listed = await owner.call('GET', '/api/shares');
    expect(listed.body.items).toEqual([
      {
        token: share.token,
        url: share.url,
        fileId: file.id,
        name: file.name,
        size: bytes.length,
        hasCode: false,
        expiresAt: null,
        maxDownloads: null,
        downloads: 2, // the whole file and the range from byte 0; not the range from 100
        views: 1,
        createdAt: expect.any(String),
      },
    ]);
    expect((await visitor().call('GET', '/api/shares')).status).toBe(401);
  });

  it('tokens are 22 random base62 characters, never sequential', async () => {
    const owner = await newUser(server.baseUrl);
    const file = (await owner.upload('a.txt', 'a')).body.file;
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++)
      tokens.add((await owner.call('POST', '/api/shares', { fileId: file.id })).body.share.token);
    expect(tokens.size).toBe(20);
    // behind nginx (a trusted, private proxy) the link names the public origin
    const proxied = await owner.call(
      'POST',
      '/api/shares',
      { fileId: file.id },
      { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'drive.example.com' },
    );
    expect(proxied.body.share.url).toBe(`https://drive.example.com/s/${proxied.body.share.token}`);
    const sorted = [...tokens].sort();
    expect(new Set(sorted.map((token) => token.slice(0, 8))).size).toBe(20);
  });

  it('with a code: 401 code_required, 403 bad_code, then the right code in the header or ?code=', async () => {
    const owner = await newUser(server.baseUrl);
    const { bytes, share } = await sharedFile(owner, { withCode: true, expiresInSeconds: 86_400 });
    expect(share.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
    expect(Date.parse(share.expiresAt!) - Date.now()).toBeGreaterThan(86_000_000);
    const stored = await server.query<{ code_hash: string }>(
      'SELECT code_hash FROM shares WHERE token = ?',
      [share.token],
    );
    expect(stored[0]!.code_hash).not.toContain(share.code);

    const guest = visitor();
    const path = `/api/public/shares/${share.token}`;
    expectError(await guest.call('GET', path), 401, 'code_required');
    expectError(
      await guest.call('GET', path, undefined, { 'x-share-code': 'ZZZZ' }),
      403,
      'bad_code',
    );
    const info = await guest.call('GET', path, undefined, {
      'x-share-code': share.code!.toLowerCase(),
    });
    expect(info.status).toBe(200);
    expectError(await guest.call('GET', `${path}/content`), 401, 'code_required');
    expect(
      (await download(guest, share.token, { 'x-share-code': share.code! })).bytes.equals(bytes),
    ).toBe(true);
    const byLink = await download(guest, share.token, {}, `?code=${share.code}`);
    expect(byLink.status).toBe(200);
    expect(byLink.bytes.equals(bytes)).toBe(true);
    expect((await owner.call('GET', '/api/shares')).body.items[0]).toMatchObject({
      hasCode: true,
      downloads: 2,
      views: 1,
    });
  });

  it('wrong codes are throttled per link and address (429 + Retry-After), even for the right code', async () => {
    const owner = await newUser(server.baseUrl);
    const { share } = await sharedFile(owner, { withCode: true });
    const path = `/api/public/shares/${share.token}`;
    const guest = visitor();
    for (let i = 0; i < 10; i++) {
      expectError(
        await guest.call('GET', path, undefined, {
          'x-share-code': 'WXYZ' === share.code ? 'ABCD' : 'WXYZ',
        }),
        403,
        'bad_code',
      );
    }
    const locked = await guest.call('GET', path, undefined, { 'x-share-code': share.code! });
    expectError(locked, 429, 'too_many_requests');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(await guest.call('GET', `${path}/content?code=${share.code}`), 429);
    // Another visitor is not locked out by them.
    expect(
      (await visitor().call('GET', path, undefined, { 'x-share-code': share.code! })).status,
    ).toBe(200);
  });

  it('wrong codes are throttled per address across links', async () => {
    const owner = await newUser(server.baseUrl);
    const guest = visitor();
    const wrong = (code: string) => (code === 'WXYZ' ? 'ABCD' : 'WXYZ');
    for (let link = 0; link < 5; link++) {
      const { share } = await sharedFile(owner, { withCode: true });
      for (let i = 0; i < 10; i++)
        expectError(
          await guest.call('GET', `/api/public/shares/${share.token}`, undefined, {
            'x-share-code': wrong(share.code!),
          }),
          403,
          'bad_code',
        );
    }
    const fresh = (await sharedFile(owner, { withCode: true })).share;
    const path = `/api/public/shares/${fresh.token}`;
    expectError(
      await guest.call('GET', path, undefined, { 'x-share-code': fresh.code! }),
      429,
      'too_many_requests',
    );
    expect(
      (await visitor().call('GET', path, undefined, { 'x-share-code': fresh.code! })).status,
    ).toBe(200);
  });

  it('an expired link answers 410 share_gone everywhere', async () => {
    const owner = await newUser(server.baseUrl);
    const { share } = await sharedFile(owner, { expiresInSeconds: 60 });
    const guest = visitor();
    expect((await guest.call('GET', `/api/public/shares/${share.token}`)).status).toBe(200);
    await server.query('UPDATE shares SET expires_at = ? WHERE token = ?', [
      new Date(Date.now() - 1000),
      share.token,
    ]);
    expectError(await guest.call('GET', `/api/public/shares/${share.token}`), 410, 'share_gone');
    expectError(
      await guest.call('GET', `/api/public/shares/${share.token}/content`),
      410,
      'share_gone',
    );
    const taker = await newUser(server.baseUrl);
    expectError(await taker.call('POST', `/api/shares/${share.token}/save`), 410, 'share_gone');
  });

  it('a download limit: whole files and ranges from byte 0 count; then 410', async () => {
    const owner = await newUser(server.baseUrl);
    const { bytes, share } = await sharedFile(owner, { maxDownloads: 2 });
    const guest = visitor();
    expect((await download(guest, share.token)).status).toBe(200);
    expect((await download(guest, share.token, { range: 'bytes=500-' })).status).toBe(206);
    const second = await download(guest, share.token, { range: 'bytes=0-' });
    expect(second.status).toBe(206);
    expect(second.bytes.equals(bytes)).toBe(true);
    const third = await guest.call('GET', `/api/public/shares/${share.token}/content`);
    expectError(third, 410, 'share_gone');
    expectError(await guest.call('GET', `/api/public/shares/${share.token}`), 410, 'share_gone');
    expect((await owner.call('GET', '/api/shares')).body.items[0]).toMatchObject({
      downloads: 2,
      maxDownloads: 2,
    });
  });

  it('concurrent downloads never exceed the limit', async () => {
    const owner = await newUser(server.baseUrl);
    const { share } = await sharedFile(owner, { maxDownloads: 3 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => download(visitor(), share.token)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 410)).toHaveLength(5);
  });

  it('revoke: 204, then 410 everywhere and no longer listed; another user cannot revoke (404)', async () => {
    const owner = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const { share } = await sharedFile(owner, { withCode: true });
    expectError(await stranger.call('DELETE', `/api/shares/${share.token}`), 404, 'not_found');
    expect((await owner.call('DELETE', `/api/shares/${share.token}`)).status).toBe(204);
    const code = { 'x-share-code': share.code! };
    expectError(
      await visitor().call('GET', `/api/public/shares/${share.token}`, undefined, code),
      410,
      'share_gone',
    );
    expectError(
      await visitor().call('GET', `/api/public/shares/${share.token}/content`, undefined, code),
      410,
      'share_gone',
    );
    expectError(
      await stranger.call('POST', `/api/shares/${share.token}/save`, undefined, code),
      410,
      'share_gone',
    );
    expect((await owner.call('GET', '/api/shares')).body.items).toEqual([]);
    expectError(await owner.call('DELETE', `/api/shares/${share.token}`), 404);
  });

  it('revoking cuts a download that is already running', async () => {
    const owner = await newUser(server.baseUrl);
    const size = 48 * 1024 * 1024;
    const { share } = await sharedFile(owner, {}, randomBytes(size));
    const res = await visitor().raw('GET', `/api/public/shares/${share.token}/content`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = (await reader.read()).value!.length;
    expect((await owner.call('DELETE', `/api/shares/${share.token}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the link is checked every second
    const cut = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return false;
        received += value.length;
      }
    })().catch(() => true);
    expect(cut).toBe(true);
    expect(received).toBeLessThan(size);
  });

  it('deleting the shared file kills its links, also once purged; copies saved by others survive', async () => {
    const owner = await newUser(server.baseUrl);
    const taker = await newUser(server.baseUrl);
    const { file, bytes, share } = await sharedFile(owner);
    const saved = await taker.call('POST', `/api/shares/${share.token}/save`);
    expect(saved.status).toBe(201);
    expect((await owner.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expectError(
      await visitor().call('GET', `/api/public/shares/${share.token}`),
      410,
      'share_gone',
    );
    expectError(
      await visitor().call('GET', `/api/public/shares/${share.token}/content`),
      410,
      'share_gone',
    );
    expect((await owner.call('GET', '/api/shares')).body.items).toEqual([]);
    expect(await refCount(file.sha1)).toBe(2); // in the trash, the file still holds its content
    expect((await owner.call('DELETE', `/api/trash/${file.id}`)).status).toBe(204);
    expectError(
      await visitor().call('GET', `/api/public/shares/${share.token}`),
      410,
      'share_gone',
    );
    expect(await refCount(file.sha1)).toBe(1);
    const copy = await taker.raw('GET', `/api/files/${saved.body.file.id}/content`);
    expect(Buffer.from(await copy.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('save to my drive: instant, one more reference, needs login and the code', async () => {
    const owner = await newUser(server.baseUrl);
    const taker = await newUser(server.baseUrl);
    const { file, bytes, share } = await sharedFile(owner, { withCode: true });
    await taker.upload('季度报告.pdf', 'already here'); // the saved copy gets " (1)"
    const blobs = await server.blobCount();
    const path = `/api/shares/${share.token}/save`;
    expectError(
      await visitor().call('POST', path, undefined, { 'x-share-code': share.code! }),
      401,
      'unauthorized',
    );
    expectError(await taker.call('POST', path), 401, 'code_required');
    expectError(
      await taker.call('POST', path, undefined, {
        'x-share-code': share.code === 'WXYZ' ? 'ABCD' : 'WXYZ',
      }),
      403,
      'bad_code',
    );
    const saved = await taker.call('POST', `${path}?code=${share.code}`);
    expect(saved.status).toBe(201);
    expect(saved.body.file).toMatchObject({
      name: '季度报告 (1).pdf',
      size: bytes.length,
      sha1: sha1Of(bytes),
      folderId: null,
    });
    expect(saved.body.file.id).not.toBe(file.id);
    expect(await refCount(file.sha1)).toBe(2);
    expect(await server.blobCount()).toBe(blobs);
    expect((await taker.call('GET', '/api/me')).body.user.usedBytes).toBe(
      bytes.length + 'already here'.length,
    );
    // a save counts as a download (share-limits.test.ts)
    expect((await owner.call('GET', '/api/shares')).body.items[0].downloads).toBe(1);
  });

  it('another user’s file cannot be shared (404); unknown and malformed tokens are 404', async () => {
    const owner = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const file = (await owner.upload('mine.txt', 'mine')).body.file;
    expectError(await stranger.call('POST', '/api/shares', { fileId: file.id }), 404, 'not_found');
    expectError(
      await visitor().call('GET', '/api/public/shares/0000000000000000000000'),
      404,
      'not_found',
    );
    expectError(
      await visitor().call('GET', '/api/public/shares/not-a-token!/content'),
      404,
      'not_found',
    );
    expectError(await stranger.call('DELETE', '/api/shares/x'), 404, 'not_found');
  });

  it('validates the body: expiry, limit and code flags', async () => {
    const owner = await newUser(server.baseUrl);
    const file = (await owner.upload('v.txt', 'v')).body.file;
    for (const body of [
      {},
      { fileId: file.id, expiresInSeconds: 0 },
      { fileId: file.id, expiresInSeconds: 'soon' },
      { fileId: file.id, maxDownloads: 0 },
      { fileId: file.id, withCode: 'yes' },
    ]) {
      expectError(await owner.call('POST', '/api/shares', body), 400);
    }
  });
});
