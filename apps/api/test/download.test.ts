import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, newUser, sha1Of, type Client } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let owner: Client;
const bytes = randomBytes(100_000);
let fileId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await newUser(server.baseUrl);
  fileId = (await owner.upload('年度 报告.pdf', bytes)).body.file.id;
});
afterAll(() => server.stop());

const content = (headers: Record<string, string> = {}, method = 'GET') =>
  owner.raw(method, `/api/files/${fileId}/content`, { headers });
const body = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('GET /api/files/:id/content', () => {
  it('streams the whole file with ETag, type by extension and a UTF-8 Content-Disposition', async () => {
    const res = await content();
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${sha1Of(bytes)}"`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="?? ??.pdf"; filename*=UTF-8''%E5%B9%B4%E5%BA%A6%20%E6%8A%A5%E5%91%8A.pdf`,
    );
    expect((await body(res)).equals(bytes)).toBe(true);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=99990-', 99990, 99999],
    ['bytes=-10', 99990, 99999],
    ['bytes=50000-50000', 50000, 50000],
    ['bytes=90000-200000', 90000, 99999],
  ])('206 for %s', async (range, start, end) => {
    const res = await content({ range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect((await body(res)).equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it('416 with Content-Range */size for an unsatisfiable range', async () => {
    const res = await content({ range: 'bytes=100000-' });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect((await res.json()).error.code).toBe('range_not_satisfiable');
  });

  it.each(['bytes=abc', 'lines=0-5', 'bytes=0-1,5-6'])(
    'the whole file (200) for a malformed or multi-part range: %s',
    async (range) => {
      const res = await content({ range });
      expect(res.status).toBe(200);
      expect((await body(res)).length).toBe(bytes.length);
    },
  );

  it('If-Range: the range when the ETag matches, the whole file when it does not', async () => {
    const etag = `"${sha1Of(bytes)}"`;
    expect((await content({ range: 'bytes=0-9', 'if-range': etag })).status).toBe(206);
    const stale = await content({ range: 'bytes=0-9', 'if-range': '"0000"' });
    expect(stale.status).toBe(200);
    expect((await body(stale)).length).toBe(bytes.length);
  });

  it('304 for If-None-Match with the ETag; HEAD sends headers only', async () => {
    expect((await content({ 'if-none-match': `"${sha1Of(bytes)}"` })).status).toBe(304);
    const head = await content({}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect((await body(head)).length).toBe(0);
  });

  it('downloads an empty file', async () => {
    const { file } = (await owner.upload('empty.txt', '')).body;
    const res = await owner.raw('GET', `/api/files/${file.id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await body(res)).length).toBe(0);
  });

  it('404 for another user and for a deleted file; 401 without a login', async () => {
    const other = await newUser(server.baseUrl);
    expectError(await other.call('GET', `/api/files/${fileId}/content`), 404, 'not_found');
    const { file } = (await owner.upload('gone.txt', 'bye')).body;
    await owner.call('DELETE', `/api/files/${file.id}`);
    expectError(await owner.call('GET', `/api/files/${file.id}/content`), 404);
    expectError(
      await owner.call('GET', `/api/files/${fileId}/content`, undefined, {
        authorization: 'Bearer nope',
      }),
      401,
    );
  });
});
