import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, hmacOf, md5Of, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

async function folder(user: User, name: string, parentId?: string | null) {
  const res = await user.call('POST', '/api/folders', {
    name,
    ...(parentId !== undefined && { parentId }),
  });
  expect(res.status).toBe(201);
  return res.body.folder as { id: string; name: string; parentId: string | null };
}

const uploadInto = async (
  user: User,
  folderId: string,
  name: string,
  bytes: Uint8Array | string,
) => {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const res = await user.raw('POST', `/api/files?folderId=${folderId}`, { body: form });
  return { status: res.status, body: await res.json(), headers: res.headers };
};

const names = async (user: User, query = '') =>
  ((await user.call('GET', `/api/files${query}`)).body.items as { name: string }[]).map(
    (item) => item.name,
  );

const refCount = async (sha1: string) =>
  (
    await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    )
  )[0]?.ref_count;

describe('folders', () => {
  it('create, list children by name, breadcrumbs', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await folder(user, 'Docs');
    const archive = await folder(user, 'Archive');
    const y2026 = await folder(user, '2026', docs.id);
    const q1 = await folder(user, '第一季度', y2026.id);
    expect(docs).toEqual({
      id: expect.any(String),
      name: 'Docs',
      parentId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(q1.parentId).toBe(y2026.id);
    const root = await user.call('GET', '/api/folders');
    expect(root.body.items.map((item: { name: string }) => item.name)).toEqual(['Archive', 'Docs']);
    expect((await user.call('GET', `/api/folders?parentId=${docs.id}`)).body.items).toEqual([
      y2026,
    ]);
    const crumbs = await user.call('GET', `/api/folders/${q1.id}`);
    expect(crumbs.body.folder).toEqual(q1);
    expect(crumbs.body.path.map((item: { name: string }) => item.name)).toEqual([
      'Docs',
      '2026',
      '第一季度',
    ]);
    expect((await user.call('GET', `/api/folders/${archive.id}`)).body.path).toEqual([archive]);
  });

  it('a name is unique among siblings: " (1)", " (2)"… also on a move; a rename to a taken name is 409', async () => {
    const user = await newUser(server.baseUrl);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await folder(user, 'v1.2'));
    expect(made.map((each) => each.name)).toEqual(['v1.2', 'v1.2 (1)', 'v1.2 (2)']);
    const parent = await folder(user, 'parent');
    const child = await folder(user, 'v1.2', parent.id);
    expect(child.name).toBe('v1.2'); // another folder, another namespace
    const moved = await user.call('PATCH', `/api/folders/${child.id}`, { parentId: null });
    expect(moved.body.folder).toMatchObject({ name: 'v1.2 (3)', parentId: null });
    const renamed = await user.call('PATCH', `/api/folders/${parent.id}`, { name: 'v1.2' });
    expectError(renamed, 409, 'name_taken');
    expect(renamed.body.error.folderId).toBe(made[0].id);
  });

  it('moves; into itself or a descendant is 400 invalid_move', async () => {
    const user = await newUser(server.baseUrl);
    const a = await folder(user, 'a');
    const b = await folder(user, 'b', a.id);
    const c = await folder(user, 'c', b.id);
    const other = await folder(user, 'other');
    expectError(
      await user.call('PATCH', `/api/folders/${a.id}`, { parentId: a.id }),
      400,
      'invalid_move',
    );
    expectError(
      await user.call('PATCH', `/api/folders/${a.id}`, { parentId: c.id }),
      400,
      'invalid_move',
    );
    expectError(
      await user.call('PATCH', `/api/folders/${b.id}`, { parentId: c.id }),
      400,
      'invalid_move',
    );
    const moved = await user.call('PATCH', `/api/folders/${b.id}`, {
      parentId: other.id,
      name: 'bee',
    });
    expect(moved.body.folder).toMatchObject({ name: 'bee', parentId: other.id });
    const path = (await user.call('GET', `/api/folders/${c.id}`)).body.path;
    expect(path.map((item: { name: string }) => item.name)).toEqual(['other', 'bee', 'c']);
    // now a → c is fine (c is no longer below a), and crossing moves cannot make a loop
    expect((await user.call('PATCH', `/api/folders/${a.id}`, { parentId: c.id })).status).toBe(200);
    expectError(
      await user.call('PATCH', `/api/folders/${other.id}`, { parentId: a.id }),
      400,
      'invalid_move',
    );
  });

  it('crossing moves at the same time never make a loop', async () => {
    const user = await newUser(server.baseUrl);
    for (let round = 0; round < 5; round++) {
      const a = await folder(user, `a${round}`);
      const b = await folder(user, `b${round}`);
      const [ab, ba] = await Promise.all([
        user.call('PATCH', `/api/folders/${a.id}`, { parentId: b.id }),
        user.call('PATCH', `/api/folders/${b.id}`, { parentId: a.id }),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([200, 400]);
      const moved = ab.status === 200 ? a : b;
      expect((await user.call('GET', `/api/folders/${moved.id}`)).body.path).toHaveLength(2);
    }
  });

  it('a folder deleted while files arrive leaves no file behind', async () => {
    const user = await newUser(server.baseUrl);
    const doomed = await folder(user, 'doomed');
    const arrivals = Array.from({ length: 6 }, (_, i) =>
      uploadInto(user, doomed.id, `f${i}.txt`, randomBytes(2000)),
    );
    const [removed, ...answers] = await Promise.all([
      user.call('DELETE', `/api/folders/${doomed.id}`),
      ...arrivals,
    ]);
    expect(removed.status).toBe(204);
    for (const answer of answers) expect([201, 404]).toContain(answer.status);
    const left = await server.query('SELECT id FROM user_files WHERE folder_id = ? AND alive = 1', [
      doomed.id,
    ]);
    expect(left).toEqual([]);
    // What arrived before the delete went to the trash with the folder; the purge frees it all.
    expect((await user.call('DELETE', `/api/trash/${doomed.id}`)).status).toBe(204);
    expect(
      await server.query('SELECT id FROM user_files WHERE folder_id = ?', [doomed.id]),
    ).toEqual([]);
    expect((await user.call('GET', '/api/me')).body.user.usedBytes).toBe(0);
  });

  it('uploads land in a folder by every path; listing is per folder; search spans all folders', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await folder(user, 'docs');
    expect((await uploadInto(user, docs.id, 'form.txt', 'form')).body.file.folderId).toBe(docs.id);

    const bytes = randomBytes(10_000);
    const init = await user.call('POST', '/api/uploads', {
      name: 'chunked.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
      folderId: docs.id,
    });
    expect(init.status).toBe(201);
    await user.putChunk(init.body.uploadId, 0, bytes, md5Of(bytes));
    const done = await user.call('POST', `/api/uploads/${init.body.uploadId}/complete`);
    expect(done.body.file.folderId).toBe(docs.id);

    const challenge = (
      await user.call('POST', '/api/files/instant', {
        name: 'instant.bin',
        size: bytes.length,
        sha1: sha1Of(bytes),
        folderId: docs.id,
      })
    ).body.challenge;
    const range = bytes.subarray(challenge.offset, challenge.offset + challenge.length);
    const instant = await user.call('POST', '/api/files/instant', {
      name: 'instant.bin',
      size: bytes.length,
      sha1: sha1Of(bytes),
      folderId: docs.id,
      proof: { token: challenge.token, hmac: hmacOf(challenge.nonce, range) },
    });
    expect(instant.status).toBe(201);
    expect(instant.body.file.folderId).toBe(docs.id);

    await user.upload('root-form.txt', 'root');
    expect(await names(user)).toEqual(['root-form.txt']);
    expect(await names(user, `?folderId=${docs.id}&sort=name`)).toEqual([
      'chunked.bin',
      'form.txt',
      'instant.bin',
    ]);
    expect(await names(user, `?q=FORM&folderId=${docs.id}&sort=name`)).toEqual([
      'form.txt',
      'root-form.txt',
    ]);
  });

  it('moving a file: into a folder, a colliding name gets " (1)", back to the root with null', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await folder(user, 'docs');
    await uploadInto(user, docs.id, 'report.pdf', 'in docs');
    const file = (await user.upload('report.pdf', 'at root')).body.file;
    const moved = await user.call('PATCH', `/api/files/${file.id}`, { folderId: docs.id });
    expect(moved.body.file).toMatchObject({ name: 'report (1).pdf', folderId: docs.id });
    const both = await user.call('PATCH', `/api/files/${file.id}`, {
      folderId: null,
      name: 'final.pdf',
    });
    expect(both.body.file).toMatchObject({ name: 'final.pdf', folderId: null });
    const renamed = await user.call('PATCH', `/api/files/${file.id}`, { name: 'again.pdf' });
    expect(renamed.body.file).toMatchObject({ name: 'again.pdf', folderId: null });
    expectError(
      await user.call('PATCH', `/api/files/${file.id}`, { folderId: 'no-such-folder' }),
      404,
      'not_found',
    );
  });

  it('delete is recursive, to the trash; its purge releases files, reference counts and used bytes', async () => {
    const owner = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    const top = await folder(owner, 'top');
    const mid = await folder(owner, 'mid', top.id);
    const leaf = await folder(owner, 'leaf', mid.id);
    const kept = await folder(owner, 'kept');
    const sharedBytes = randomBytes(20_000);
    const onlyBytes = randomBytes(30_000);
    await other.upload('theirs.bin', sharedBytes); // the other user's reference keeps these bytes
    const inTop = (await uploadInto(owner, top.id, 'a.bin', sharedBytes)).body.file;
    const inLeaf = (await uploadInto(owner, leaf.id, 'b.bin', onlyBytes)).body.file;
    await uploadInto(owner, leaf.id, 'b-again.bin', onlyBytes);
    const survivor = (await uploadInto(owner, kept.id, 'c.bin', 'kept')).body.file;
    const share = (await owner.call('POST', '/api/shares', { fileId: inLeaf.id })).body.share;
    expect(await refCount(sha1Of(sharedBytes))).toBe(2);
    expect(await refCount(sha1Of(onlyBytes))).toBe(2);
    const blobs = await server.blobCount();

    expect((await owner.call('DELETE', `/api/folders/${top.id}`)).status).toBe(204);
    for (const id of [top.id, mid.id, leaf.id])
      expectError(await owner.call('GET', `/api/folders/${id}`), 404);
    for (const id of [inTop.id, inLeaf.id])
      expectError(await owner.call('GET', `/api/files/${id}`), 404);
    expect((await owner.call('GET', `/api/files/${survivor.id}`)).status).toBe(200);
    expect(
      (await owner.call('GET', '/api/folders')).body.items.map((f: { name: string }) => f.name),
    ).toEqual(['kept']);
    expect((await owner.call('GET', `/api/public/shares/${share.token}`)).status).toBe(410);
    // In the trash, everything still holds its content and its bytes in the quota.
    expect(await refCount(sha1Of(sharedBytes))).toBe(2);
    expect(await refCount(sha1Of(onlyBytes))).toBe(2);
    expect(await server.blobCount()).toBe(blobs);
    const used = 20_000 + 2 * 30_000 + 'kept'.length;
    expect((await owner.call('GET', '/api/me')).body.user.usedBytes).toBe(used);

    expect((await owner.call('DELETE', `/api/trash/${top.id}`)).status).toBe(204);
    expect(await refCount(sha1Of(sharedBytes))).toBe(1);
    expect(await refCount(sha1Of(onlyBytes))).toBeUndefined();
    expect(await server.blobCount()).toBe(blobs - 1);
    expect((await owner.call('GET', '/api/me')).body.user.usedBytes).toBe('kept'.length);
    expect((await owner.call('GET', `/api/public/shares/${share.token}`)).status).toBe(410);
    const gone = [top.id, mid.id, leaf.id];
    expect(await server.query('SELECT id FROM folders WHERE id IN (?, ?, ?)', gone)).toEqual([]);
    expectError(await owner.call('DELETE', `/api/trash/${top.id}`), 404, 'not_found');
  });

  it('another user’s folder is 404 on every route, exactly like a missing one', async () => {
    const owner = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const mine = await folder(owner, 'private');
    const theirs = await folder(stranger, 'theirs');
    const file = (await stranger.upload('x.txt', 'x')).body.file;
    for (const id of [mine.id, 'missing-folder-id']) {
      expectError(await stranger.call('GET', `/api/folders/${id}`), 404, 'not_found');
      expectError(
        await stranger.call('PATCH', `/api/folders/${id}`, { name: 'mine now' }),
        404,
        'not_found',
      );
      expectError(await stranger.call('DELETE', `/api/folders/${id}`), 404, 'not_found');
      expectError(await stranger.call('GET', `/api/folders?parentId=${id}`), 404, 'not_found');
      expectError(
        await stranger.call('POST', '/api/folders', { name: 'in', parentId: id }),
        404,
        'not_found',
      );
      expectError(await stranger.call('GET', `/api/files?folderId=${id}`), 404, 'not_found');
      expectError(
        await stranger.call('PATCH', `/api/files/${file.id}`, { folderId: id }),
        404,
        'not_found',
      );
      expectError(
        await stranger.call('PATCH', `/api/folders/${theirs.id}`, { parentId: id }),
        404,
        'not_found',
      );
      expectError(await uploadInto(stranger, id, 'y.txt', 'y'), 404, 'not_found');
      expectError(
        await stranger.call('POST', '/api/uploads', {
          name: 'z',
          size: 5,
          sha1: sha1Of('zzzzz'),
          folderId: id,
        }),
        404,
        'not_found',
      );
    }
    expect((await owner.call('GET', `/api/folders/${mine.id}`)).status).toBe(200);
    expect(await server.stagedFiles()).toEqual([]);
  });

  it('validates names and ids', async () => {
    const user = await newUser(server.baseUrl);
    for (const name of ['', '.', '..', 'a/b', 'a\\b', 'x'.repeat(256), 42]) {
      expectError(await user.call('POST', '/api/folders', { name }), 400);
    }
    expectError(await user.call('POST', '/api/folders', { name: 'ok', parentId: '../etc' }), 400);
    expectError(await user.call('GET', '/api/folders?parentId=a%2Fb'), 400);
  });
});
