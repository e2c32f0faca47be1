import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, newUser, sha1Of } from './support/client.ts';
import { deleteForever } from './support/trash.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) });
});
afterAll(() => server.stop());

const shardRow = async (sha1: string) =>
  (
    await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    )
  )[0];

describe('POST /api/files (form upload)', () => {
  it('201 {file} with the SHA-1 and size computed while streaming', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(300_000);
    const res = await user.upload('photo.jpg', bytes);
    expect(res.status).toBe(201);
    expect(res.body.file).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: 'photo.jpg',
      size: bytes.length,
      sha1: sha1Of(bytes),
      folderId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await shardRow(sha1Of(bytes)))?.ref_count).toBe(1);
    expect((await user.call('GET', '/api/me')).body.user.usedBytes).toBe(bytes.length);
    expect(await server.stagedFiles()).toEqual([]);
  });

  it('stores the same content once; a colliding name gets " (1)", " (2)"', async () => {
    const user = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    const bytes = randomBytes(50_000);
    const before = await server.blobCount();
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await user.upload('report.pdf', bytes)).body.file.name);
    await other.upload('mine.pdf', bytes);
    expect(names).toEqual(['report.pdf', 'report (1).pdf', 'report (2).pdf']);
    expect(await server.blobCount()).toBe(before + 1);
    expect((await shardRow(sha1Of(bytes)))?.ref_count).toBe(4);
  });

  it('keeps UTF-8 names and never uses them as paths', async () => {
    const user = await newUser(server.baseUrl);
    expect((await user.upload('季度报告 2026.txt', 'hello')).body.file.name).toBe(
      '季度报告 2026.txt',
    );
    const sneaky = await user.upload('../../etc/passwd', 'root:x:0:0');
    expect(sneaky.status).toBe(201);
    expect(sneaky.body.file.name).toBe('passwd');
  });

  it('accepts an empty file', async () => {
    const user = await newUser(server.baseUrl);
    const res = await user.upload('empty.txt', '');
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ size: 0, sha1: sha1Of('') });
  });

  it('413 payload_too_large above UPLOAD_MAX_BYTES, leaving nothing behind', async () => {
    const user = await newUser(server.baseUrl);
    const blobs = await server.blobCount();
    expectError(
      await user.upload('big.bin', randomBytes(2 * 1024 * 1024 + 1)),
      413,
      'payload_too_large',
    );
    expect(await server.stagedFiles()).toEqual([]);
    expect(await server.blobCount()).toBe(blobs);
    expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
  });

  it('400 for a missing file, a wrong field, two files, a bad name; 415 without multipart', async () => {
    const user = await newUser(server.baseUrl);
    const empty = new FormData();
    empty.append('note', 'no file here');
    expectError(await answer(user.raw('POST', '/api/files', { body: empty })), 400, 'missing_file');
    expectError(await user.upload('a.txt', 'x', 'document'), 400);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('file', new Blob(['b']), 'b.txt');
    expectError(await answer(user.raw('POST', '/api/files', { body: two })), 400, 'too_many_files');
    expectError(await user.upload('a'.repeat(300), 'x'), 400, 'invalid_name');
    expectError(await user.upload('bad\u0001name.txt', 'x'), 400);
    expectError(await user.call('POST', '/api/files', { file: 'not multipart' }), 415);
    expect(await server.stagedFiles()).toEqual([]);
    expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
  });

  it('a client that disconnects mid-upload leaves no temp file and no row', async () => {
    const user = await newUser(server.baseUrl);
    const boundary = 'xBoundary';
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.baseUrl}/api/files`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${user.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(1024 * 1024),
        },
      });
      req.on('error', () => resolve());
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n`,
      );
      req.write(randomBytes(200_000), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200),
      );
    });
    await waitFor(async () => (await server.stagedFiles()).length === 0);
    expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
  });

  it('401 without a login', async () => {
    expectError(await new Client(server.baseUrl).upload('a.txt', 'x'), 401);
  });
});

describe('GET /api/files (list)', () => {
  it('newest first, with q matching names and keyset pages through nextCursor', async () => {
    const user = await newUser(server.baseUrl);
    for (const name of ['alpha.txt', 'Beta.txt', '100%_done.txt', 'gamma.md', 'beta-2.txt']) {
      await user.upload(name, name);
    }
    const all = await user.call('GET', '/api/files');
    expect(all.body.items.map((f: { name: string }) => f.name)).toEqual([
      'beta-2.txt',
      'gamma.md',
      '100%_done.txt',
      'Beta.txt',
      'alpha.txt',
    ]);
    expect(all.body.nextCursor).toBeNull();

    const search = await user.call('GET', '/api/files?q=BETA');
    expect(search.body.items.map((f: { name: string }) => f.name)).toEqual([
      'beta-2.txt',
      'Beta.txt',
    ]);
    // Wildcards in q are literal characters.
    expect(
      (await user.call('GET', '/api/files?q=%25_')).body.items.map((f: { name: string }) => f.name),
    ).toEqual(['100%_done.txt']);
    expect((await user.call('GET', '/api/files?q=_')).body.items).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await user.call(
        'GET',
        `/api/files?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((f: { name: string }) => f.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((f: { name: string }) => f.name));
  });

  it('shows only the caller’s files', async () => {
    const a = await newUser(server.baseUrl);
    const b = await newUser(server.baseUrl);
    await a.upload('secret.txt', 'mine');
    expect((await b.call('GET', '/api/files')).body.items).toEqual([]);
  });

  it.each([
    'limit=0',
    'limit=201',
    'limit=abc',
    'cursor=garbage',
    'cursor=djE6LTE',
    `q=${'x'.repeat(256)}`,
  ])('400 for %s', async (query) => {
    const user = await newUser(server.baseUrl);
    expectError(await user.call('GET', `/api/files?${query}`), 400);
  });
});

describe('GET, PATCH, DELETE /api/files/:id', () => {
  it('meta, rename (a taken name is 409 name_taken), delete', async () => {
    const user = await newUser(server.baseUrl);
    const { file } = (await user.upload('draft.txt', 'v1')).body;
    const final = (await user.upload('final.txt', 'other')).body.file;
    expect((await user.call('GET', `/api/files/${file.id}`)).body.file).toEqual(file);

    const renamed = await user.call('PATCH', `/api/files/${file.id}`, { name: '终稿.txt' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.file).toMatchObject({ id: file.id, name: '终稿.txt', sha1: file.sha1 });
    const collided = await user.call('PATCH', `/api/files/${file.id}`, { name: 'final.txt' });
    expectError(collided, 409, 'name_taken');
    expect(collided.body.error.fileId).toBe(final.id);
    expect((await user.call('GET', `/api/files/${file.id}`)).body.file.name).toBe('终稿.txt');

    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expectError(await user.call('GET', `/api/files/${file.id}`), 404, 'not_found');
    expectError(await user.call('DELETE', `/api/files/${file.id}`), 404);
    // The freed name can be used again.
    expect((await user.upload('终稿.txt', 'again')).body.file.name).toBe('终稿.txt');
  });

  it.each([
    ['empty', ''],
    ['300 characters', 'n'.repeat(300)],
    ['a NUL', 'a\u0000b'],
    ['a path', '../../etc/passwd'],
    ['a backslash', '..\\windows'],
    ['dot-dot', '..'],
    ['a number', 42],
  ])('rename to %s answers 400', async (_label, name) => {
    const user = await newUser(server.baseUrl);
    const { file } = (await user.upload('keep.txt', 'x')).body;
    expectError(await user.call('PATCH', `/api/files/${file.id}`, { name }), 400);
    expect((await user.call('GET', `/api/files/${file.id}`)).body.file.name).toBe('keep.txt');
  });

  it('another user’s id answers 404 exactly like a missing one, on every route', async () => {
    const owner = await newUser(server.baseUrl);
    const intruder = await newUser(server.baseUrl);
    const { file } = (await owner.upload('private.txt', 'top secret')).body;
    const calls = [
      () => intruder.call('GET', `/api/files/${file.id}`),
      () => intruder.call('PATCH', `/api/files/${file.id}`, { name: 'mine.txt' }),
      () => intruder.call('DELETE', `/api/files/${file.id}`),
      () => intruder.call('GET', `/api/files/${file.id}/content`),
    ];
    for (const call of calls) {
      const theirs = await call();
      expectError(theirs, 404, 'not_found');
    }
    const missing = await intruder.call('GET', '/api/files/AAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.body).toEqual((await intruder.call('GET', `/api/files/${file.id}`)).body);
    expectError(await intruder.call('GET', '/api/files/bad$id'), 400);
    expect((await owner.call('GET', `/api/files/${file.id}`)).body.file.name).toBe('private.txt');
  });

  it('a purged delete drops one reference; the bytes go with the last one', async () => {
    const a = await newUser(server.baseUrl);
    const b = await newUser(server.baseUrl);
    const bytes = randomBytes(10_000);
    const sha1 = sha1Of(bytes);
    const fa = (await a.upload('x.bin', bytes)).body.file;
    const fb = (await b.upload('y.bin', bytes)).body.file;
    const blobs = await server.blobCount();
    expect((await deleteForever(a, fa.id)).status).toBe(204);
    expect((await shardRow(sha1))?.ref_count).toBe(1);
    expect(await server.blobCount()).toBe(blobs);
    expect((await b.raw('GET', `/api/files/${fb.id}/content`)).status).toBe(200);
    expect((await deleteForever(b, fb.id)).status).toBe(204);
    expect(await shardRow(sha1)).toBeUndefined();
    expect(await server.blobCount()).toBe(blobs - 1);
    expect((await a.call('GET', '/api/me')).body.user.usedBytes).toBe(0);
  });

  it('concurrent uploads and deletes of the same content keep counts and bytes consistent', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => newUser(server.baseUrl)));
    const bytes = randomBytes(64_000);
    const sha1 = sha1Of(bytes);
    const uploads = await Promise.all(
      users.flatMap((u) => [u.upload('same.bin', bytes), u.upload('same.bin', bytes)]),
    );
    expect(uploads.map((res) => (res.status === 201 ? 201 : JSON.stringify(res.body)))).toEqual(
      Array(8).fill(201),
    );
    expect((await shardRow(sha1))?.ref_count).toBe(8);

    // Delete (and purge) all but one while others upload the same content again.
    const deletions = uploads
      .slice(1)
      .map((res, i) => deleteForever(users[Math.floor((i + 1) / 2)]!, res.body.file.id));
    const reuploads = users.map((u) => u.upload('again.bin', bytes));
    const results = await Promise.all([...deletions, ...reuploads]);
    expect(results.map((r) => r.status).sort()).toEqual(
      [...Array(7).fill(204), ...Array(4).fill(201)].sort(),
    );
    expect((await shardRow(sha1))?.ref_count).toBe(5);
    const survivor = users[0]!;
    const content = await survivor.raw('GET', `/api/files/${uploads[0]!.body.file.id}/content`);
    expect(sha1Of(new Uint8Array(await content.arrayBuffer()))).toBe(sha1);
  });
});

async function answer(response: Promise<Response>) {
  const res = await response;
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
