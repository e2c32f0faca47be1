// Issue 13, the trash: DELETE moves files and folders to the trash; GET /api/trash, restore,
// delete forever, empty. Trashed items leave listings, search and share links (410), keep their
// content references and their bytes in the quota until purged.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, hmacOf, newUser, sha1Of, type Answer } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { contentRow } from './support/transfer.ts';
import { makeFolder, uploadInto } from './support/trash.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

const trashOf = async (user: User, query = '') => {
  const res = await user.call('GET', `/api/trash${query}`);
  expect(res.status).toBe(200);
  return res.body as { items: Record<string, unknown>[]; nextCursor: string | null };
};
const fileNames = async (user: User, query = '') =>
  ((await user.call('GET', `/api/files${query}`)).body.items as { name: string }[]).map(
    (item) => item.name,
  );
const usedBytes = async (user: User) =>
  (await user.call('GET', '/api/me')).body.user.usedBytes as number;
const refCount = async (sha1: string) => {
  const row = await contentRow(server, sha1);
  return row && Number(row.ref_count);
};
const shareOf = async (user: User, fileId: string) => {
  const res = await user.call('POST', '/api/shares', { fileId });
  expect(res.status).toBe(201);
  return res.body.share.token as string;
};
const visit = (token: string) =>
  new Client(server.baseUrl).call('GET', `/api/public/shares/${token}`);

describe('DELETE /api/files/:id and GET /api/trash', () => {
  it('moves the file to the trash: out of listings and search, its link 410, its bytes still counted', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await makeFolder(user, 'Docs');
    const year = await makeFolder(user, '2026', docs.id);
    const bytes = randomBytes(3000);
    const file = (await uploadInto(user, year.id, 'report.pdf', bytes)).body.file;
    const token = await shareOf(user, file.id);
    expect((await visit(token)).status).toBe(200);

    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expect(await fileNames(user, `?folderId=${year.id}`)).toEqual([]);
    expect(await fileNames(user, '?q=report')).toEqual([]);
    expectError(await user.call('GET', `/api/files/${file.id}`), 404, 'not_found');
    expectError(await user.call('GET', `/api/files/${file.id}/content`), 404, 'not_found');
    expectError(await visit(token), 410, 'share_gone');
    expect((await user.call('GET', '/api/shares')).body.items).toEqual([]);
    expect(await usedBytes(user)).toBe(3000);
    expect(await refCount(file.sha1)).toBe(1);

    const { items, nextCursor } = await trashOf(user);
    expect(items).toEqual([
      {
        id: file.id,
        kind: 'file',
        name: 'report.pdf',
        size: 3000,
        deletedAt: expect.any(String),
        originalPath: '/Docs/2026',
      },
    ]);
    expect(Date.now() - Date.parse(items[0]!.deletedAt as string)).toBeLessThan(60_000);
    expect(nextCursor).toBeNull();
    // In the trash, the name is free again.
    expect((await uploadInto(user, year.id, 'report.pdf', 'new')).body.file.name).toBe(
      'report.pdf',
    );
  });

  it('a folder goes with everything inside as one item; its files leave search and their links 410', async () => {
    const user = await newUser(server.baseUrl);
    const top = await makeFolder(user, 'Photos');
    const trip = await makeFolder(user, 'Trip', top.id);
    const a = (await uploadInto(user, top.id, 'a.jpg', randomBytes(1000))).body.file;
    const b = (await uploadInto(user, trip.id, 'b.jpg', randomBytes(2000))).body.file;
    await uploadInto(user, undefined, 'outside.jpg', 'x');
    const token = await shareOf(user, b.id);

    expect((await user.call('DELETE', `/api/folders/${top.id}`)).status).toBe(204);
    expect((await user.call('GET', '/api/folders')).body.items).toEqual([]);
    for (const id of [top.id, trip.id])
      expectError(await user.call('GET', `/api/folders/${id}`), 404, 'not_found');
    expectError(await user.call('GET', `/api/files?folderId=${trip.id}`), 404, 'not_found');
    expect(await fileNames(user, '?q=jpg')).toEqual(['outside.jpg']);
    for (const id of [a.id, b.id]) expectError(await user.call('GET', `/api/files/${id}`), 404);
    expectError(await visit(token), 410, 'share_gone');
    // Nothing can be put in a trashed folder.
    expectError(await uploadInto(user, trip.id, 'late.jpg', 'late'), 404, 'not_found');
    expectError(
      await user.call('POST', '/api/folders', { name: 'late', parentId: trip.id }),
      404,
      'not_found',
    );
    expect(await usedBytes(user)).toBe(3001);

    const { items } = await trashOf(user);
    expect(items).toEqual([
      expect.objectContaining({ id: top.id, kind: 'folder', name: 'Photos', size: 3000 }),
    ]);
    expect(items[0]!.originalPath).toBe('/');
  });

  it('lists newest first, page by page', async () => {
    const user = await newUser(server.baseUrl);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const file = (await uploadInto(user, undefined, `f${i}.txt`, `${i}`)).body.file;
      expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
      ids.push(file.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await trashOf(user, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id as string));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it.each([
    ['limit=0', '?limit=0'],
    ['limit=201', '?limit=201'],
    ['limit=abc', '?limit=abc'],
    ['a garbage cursor', '?cursor=garbage'],
    ['a files cursor', `?cursor=${Buffer.from('[2,"date","desc",1,1]').toString('base64url')}`],
  ])('GET /api/trash with %s answers 400', async (_label, query) => {
    const user = await newUser(server.baseUrl);
    expectError(await user.call('GET', `/api/trash${query}`), 400);
  });

  it('needs a login; ids are validated', async () => {
    const anonymous = new Client(server.baseUrl);
    expectError(await anonymous.call('GET', '/api/trash'), 401);
    expectError(await anonymous.call('DELETE', '/api/trash'), 401);
    expectError(await anonymous.call('POST', '/api/trash/abc/restore'), 401);
    const user = await newUser(server.baseUrl);
    expectError(await user.call('POST', '/api/trash/bad$id/restore'), 400);
    expectError(await user.call('DELETE', '/api/trash/bad$id'), 400);
    expectError(await user.call('DELETE', '/api/files/bad$id'), 400);
    expectError(await user.call('DELETE', '/api/folders/bad$id'), 400);
  });
});

describe('POST /api/trash/:id/restore', () => {
  it('brings a file back where it was, with its share link and its modified time', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await makeFolder(user, 'Docs');
    const file = (await uploadInto(user, docs.id, 'notes.txt', 'notes')).body.file;
    const token = await shareOf(user, file.id);
    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expectError(await visit(token), 410);

    const restored = await user.call('POST', `/api/trash/${file.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ file });
    expect((await trashOf(user)).items).toEqual([]);
    expect(await fileNames(user, `?folderId=${docs.id}`)).toEqual(['notes.txt']);
    expect((await visit(token)).status).toBe(200);
    const content = await new Client(server.baseUrl).raw(
      'GET',
      `/api/public/shares/${token}/content`,
    );
    expect(await content.text()).toBe('notes');
    expectError(await user.call('POST', `/api/trash/${file.id}/restore`), 404, 'not_found');
  });

  it('brings a folder back with everything inside; the links of its files work again', async () => {
    const user = await newUser(server.baseUrl);
    const top = await makeFolder(user, 'Work');
    const inner = await makeFolder(user, 'Inner', top.id);
    const file = (await uploadInto(user, inner.id, 'deep.txt', 'deep')).body.file;
    const token = await shareOf(user, file.id);
    expect((await user.call('DELETE', `/api/folders/${top.id}`)).status).toBe(204);

    const restored = await user.call('POST', `/api/trash/${top.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.folder).toMatchObject({ id: top.id, name: 'Work', parentId: null });
    expect(
      (await user.call('GET', `/api/folders/${inner.id}`)).body.path.map(
        (f: { name: string }) => f.name,
      ),
    ).toEqual(['Work', 'Inner']);
    expect(await fileNames(user, '?q=deep')).toEqual(['deep.txt']);
    expect((await visit(token)).status).toBe(200);
    expect((await trashOf(user)).items).toEqual([]);
  });

  it('a name taken meanwhile gets " (1)", for a file and for a folder', async () => {
    const user = await newUser(server.baseUrl);
    const file = (await uploadInto(user, undefined, 'plan.txt', 'old')).body.file;
    const folder = await makeFolder(user, 'Plans');
    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expect((await user.call('DELETE', `/api/folders/${folder.id}`)).status).toBe(204);
    await uploadInto(user, undefined, 'plan.txt', 'new');
    await makeFolder(user, 'Plans');

    const restoredFile = await user.call('POST', `/api/trash/${file.id}/restore`);
    expect(restoredFile.body.file).toMatchObject({ id: file.id, name: 'plan (1).txt' });
    const restoredFolder = await user.call('POST', `/api/trash/${folder.id}/restore`);
    expect(restoredFolder.body.folder).toMatchObject({ id: folder.id, name: 'Plans (1)' });
  });

  it('into the root when its folder is in the trash or gone', async () => {
    const user = await newUser(server.baseUrl);
    const docs = await makeFolder(user, 'Docs');
    const sub = await makeFolder(user, 'Sub', docs.id);
    const first = (await uploadInto(user, docs.id, 'first.txt', '1')).body.file;
    const second = (await uploadInto(user, sub.id, 'second.txt', '2')).body.file;
    // first and Sub go to the trash on their own, then their folder does.
    expect((await user.call('DELETE', `/api/files/${first.id}`)).status).toBe(204);
    expect((await user.call('DELETE', `/api/folders/${sub.id}`)).status).toBe(204);
    expect((await user.call('DELETE', `/api/folders/${docs.id}`)).status).toBe(204);
    expect((await trashOf(user)).items.map((item) => item.id)).toEqual([docs.id, sub.id, first.id]);

    const restored = await user.call('POST', `/api/trash/${first.id}/restore`);
    expect(restored.body.file).toMatchObject({ id: first.id, folderId: null });
    // Docs purged: Sub (and what is in it) comes back at the root.
    expect((await user.call('DELETE', `/api/trash/${docs.id}`)).status).toBe(204);
    const back = await user.call('POST', `/api/trash/${sub.id}/restore`);
    expect(back.body.folder).toMatchObject({ id: sub.id, parentId: null });
    expect((await user.call('GET', `/api/files?folderId=${sub.id}`)).body.items).toEqual([
      expect.objectContaining({ id: second.id }),
    ]);
    expect(await usedBytes(user)).toBe(2);
  });
});

describe('DELETE /api/trash/:id and DELETE /api/trash', () => {
  it('a purge drops the references: bytes freed when no one else holds them, the quota given back', async () => {
    const owner = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    const shared = randomBytes(20_000);
    const only = randomBytes(30_000);
    await other.upload('theirs.bin', shared);
    const a = (await owner.upload('a.bin', shared)).body.file;
    const b = (await owner.upload('b.bin', only)).body.file;
    const blobs = await server.blobCount();
    for (const file of [a, b])
      expect((await owner.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expect(await refCount(a.sha1)).toBe(2);
    expect(await refCount(b.sha1)).toBe(1);
    expect(await usedBytes(owner)).toBe(50_000);

    expect((await owner.call('DELETE', `/api/trash/${a.id}`)).status).toBe(204);
    expect(await refCount(a.sha1)).toBe(1);
    expect(await server.blobCount()).toBe(blobs);
    expect(await usedBytes(owner)).toBe(30_000);
    expect((await owner.call('DELETE', `/api/trash/${b.id}`)).status).toBe(204);
    expect(await refCount(b.sha1)).toBeUndefined();
    expect(await server.blobCount()).toBe(blobs - 1);
    expect(await usedBytes(owner)).toBe(0);

    // A purged id is 404 everywhere.
    for (const answer of [
      await owner.call('DELETE', `/api/trash/${a.id}`),
      await owner.call('POST', `/api/trash/${a.id}/restore`),
      await owner.call('GET', `/api/files/${a.id}`),
      await owner.call('DELETE', `/api/files/${a.id}`),
    ])
      expectError(answer, 404, 'not_found');
    const download = await other.call('GET', '/api/files');
    const theirs = await other.raw('GET', `/api/files/${download.body.items[0].id}/content`);
    expect(sha1Of(new Uint8Array(await theirs.arrayBuffer()))).toBe(a.sha1);
  });

  it('emptying the trash purges every item, folders with their files, and frees the quota', async () => {
    const user = await newUser(server.baseUrl);
    const top = await makeFolder(user, 'Old');
    const inner = await makeFolder(user, 'Older', top.id);
    const files = [
      (await uploadInto(user, top.id, 'x.bin', randomBytes(1000))).body.file,
      (await uploadInto(user, inner.id, 'y.bin', randomBytes(2000))).body.file,
      (await uploadInto(user, undefined, 'z.bin', randomBytes(4000))).body.file,
    ];
    const kept = (await uploadInto(user, undefined, 'kept.bin', 'kept')).body.file;
    expect((await user.call('DELETE', `/api/folders/${top.id}`)).status).toBe(204);
    expect((await user.call('DELETE', `/api/files/${files[2].id}`)).status).toBe(204);
    expect((await trashOf(user)).items).toHaveLength(2);
    expect(await usedBytes(user)).toBe(7004);

    expect((await user.call('DELETE', '/api/trash')).status).toBe(204);
    expect((await trashOf(user)).items).toEqual([]);
    expect(await usedBytes(user)).toBe(4);
    for (const file of files) expect(await refCount(file.sha1)).toBeUndefined();
    expect(
      await server.query('SELECT id FROM folders WHERE id IN (?, ?)', [top.id, inner.id]),
    ).toEqual([]);
    expect((await user.call('GET', `/api/files/${kept.id}`)).status).toBe(200);
    expect((await user.call('DELETE', '/api/trash')).status).toBe(204); // already empty
  });

  it('another user’s ids answer 404 exactly like missing ones, and their trash is not listed', async () => {
    const owner = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const file = (await owner.upload('mine.txt', 'mine')).body.file;
    const folder = await makeFolder(owner, 'Mine');
    const live = (await owner.upload('live.txt', 'live')).body.file;
    const liveFolder = await makeFolder(owner, 'Live');
    expect((await owner.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    expect((await owner.call('DELETE', `/api/folders/${folder.id}`)).status).toBe(204);

    expect((await trashOf(stranger)).items).toEqual([]);
    for (const id of [file.id, folder.id, 'AAAAAAAAAAAAAAAAAAAAAA']) {
      expectError(await stranger.call('POST', `/api/trash/${id}/restore`), 404, 'not_found');
      expectError(await stranger.call('DELETE', `/api/trash/${id}`), 404, 'not_found');
    }
    expectError(await stranger.call('DELETE', `/api/files/${live.id}`), 404, 'not_found');
    expectError(await stranger.call('DELETE', `/api/folders/${liveFolder.id}`), 404, 'not_found');
    expect((await stranger.call('DELETE', '/api/trash')).status).toBe(204);
    // A live item is not in the trash.
    expectError(await owner.call('POST', `/api/trash/${live.id}/restore`), 404, 'not_found');
    expectError(await owner.call('DELETE', `/api/trash/${live.id}`), 404, 'not_found');
    expect((await trashOf(owner)).items).toHaveLength(2);
    expect((await owner.call('GET', `/api/files/${live.id}`)).status).toBe(200);
  });
});

describe('concurrency', () => {
  const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);
  const count = (answers: Answer[], status: number) =>
    answers.filter((answer) => answer.status === status).length;

  it('120 deletes, 120 restores, 120 purges of one file at once: one of each wins at most, counts exact', async () => {
    const user = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    const bytes = randomBytes(5000);
    await other.upload('keeps.bin', bytes);
    const file = (await user.upload('contested.bin', bytes)).body.file;

    const deletes = await Promise.all(
      Array.from({ length: 120 }, () => user.call('DELETE', `/api/files/${file.id}`)),
    );
    expect(count(deletes, 204)).toBe(1);
    expect(count(deletes, 404)).toBe(119);
    const restores = await Promise.all(
      Array.from({ length: 120 }, () => user.call('POST', `/api/trash/${file.id}/restore`)),
    );
    expect(count(restores, 200)).toBe(1);
    expect(count(restores, 404)).toBe(119);
    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    const purges = await Promise.all(
      Array.from({ length: 120 }, () => user.call('DELETE', `/api/trash/${file.id}`)),
    );
    expect(count(purges, 204)).toBe(1);
    expect(count(purges, 404)).toBe(119);
    expect(await refCount(file.sha1)).toBe(1);
    expect(await usedBytes(user)).toBe(0);
  });

  it('deletes, restores and purges of one item mixed at once leave one consistent state', async () => {
    for (const kind of ['files', 'folders'] as const) {
      const user = await newUser(server.baseUrl);
      const other = await newUser(server.baseUrl);
      const bytes = randomBytes(4000);
      await other.upload('keeps.bin', bytes);
      const folder = await makeFolder(user, 'box');
      const file = (await uploadInto(user, folder.id, 'item.bin', bytes)).body.file;
      const id = kind === 'files' ? file.id : folder.id;
      expect((await user.call('DELETE', `/api/${kind}/${id}`)).status).toBe(204);

      const requests = Array.from({ length: 150 }, (_, i) =>
        i % 3 === 0
          ? user.call('DELETE', `/api/${kind}/${id}`)
          : i % 3 === 1
            ? user.call('POST', `/api/trash/${id}/restore`)
            : user.call('DELETE', `/api/trash/${id}`),
      );
      const answers = await Promise.all(requests);
      for (const status of statuses(answers)) expect([200, 204, 404]).toContain(status);
      const purged = answers.filter((answer, i) => i % 3 === 2 && answer.status === 204).length;
      expect(purged).toBeLessThanOrEqual(1);
      const rows = await server.query<{ alive: number | null; trash_id: string | null }>(
        'SELECT alive, trash_id FROM user_files WHERE id = ?',
        [file.id],
      );
      const listed = (await trashOf(user)).items.map((item) => item.id);
      if (purged === 1) {
        expect(rows).toEqual([]);
        expect(listed).toEqual([]);
        expect(await refCount(file.sha1)).toBe(1);
        expect(await usedBytes(user)).toBe(0);
      } else {
        expect(rows).toHaveLength(1);
        const inTrash = rows[0]!.alive === null;
        expect(listed).toEqual(inTrash ? [id] : []);
        expect((await user.call('GET', `/api/files/${file.id}`)).status).toBe(inTrash ? 404 : 200);
        expect(await refCount(file.sha1)).toBe(2);
        expect(await usedBytes(user)).toBe(4000);
      }
    }
  });

  it('a purge of the last holder racing an instant upload of the same content keeps the count exact', async () => {
    const owner = await newUser(server.baseUrl);
    const taker = await newUser(server.baseUrl);
    for (let round = 0; round < 6; round++) {
      const bytes = randomBytes(50_000);
      const sha1 = sha1Of(bytes);
      const file = (await owner.upload(`r${round}.bin`, bytes)).body.file;
      expect((await owner.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
      const blobs = await server.blobCount();
      // The challenge comes while the trashed file still holds the content; the proof races the purge.
      const ask = { name: `copy${round}.bin`, size: bytes.length, sha1 };
      const { challenge } = (await taker.call('POST', '/api/files/instant', ask)).body;
      const range = bytes.subarray(challenge.offset, challenge.offset + challenge.length);
      const proof = { token: challenge.token, hmac: hmacOf(challenge.nonce, range) };
      const [purge, instant] = await Promise.all([
        owner.call('DELETE', `/api/trash/${file.id}`),
        taker.call('POST', '/api/files/instant', { ...ask, proof }),
      ]);
      expect(purge.status).toBe(204);
      if (instant.status === 201) {
        expect(await refCount(sha1)).toBe(1);
        expect(await server.blobCount()).toBe(blobs);
        const content = await taker.raw('GET', `/api/files/${instant.body.file.id}/content`);
        expect(sha1Of(new Uint8Array(await content.arrayBuffer()))).toBe(sha1);
      } else {
        expect(instant.status).toBe(404); // the content went before the proof
        expect(await refCount(sha1)).toBeUndefined();
        expect(await server.blobCount()).toBe(blobs - 1);
      }
    }
    expect(await usedBytes(owner)).toBe(0);
  });

  it('files uploaded into a folder while it goes to the trash go with it or are refused', async () => {
    const user = await newUser(server.baseUrl);
    const folder = await makeFolder(user, 'busy');
    const arrivals = Array.from({ length: 20 }, (_, i) =>
      uploadInto(user, folder.id, `f${i}.bin`, randomBytes(1000)),
    );
    const [trashed, ...answers] = await Promise.all([
      user.call('DELETE', `/api/folders/${folder.id}`),
      ...arrivals,
    ]);
    expect(trashed.status).toBe(204);
    const landed = answers.filter((answer) => answer.status === 201).length;
    expect(landed + answers.filter((answer) => answer.status === 404).length).toBe(20);
    const [item] = (await trashOf(user)).items;
    expect(item).toMatchObject({ id: folder.id, size: landed * 1000 });
    expect(await usedBytes(user)).toBe(landed * 1000);
    const restored = await user.call('POST', `/api/trash/${folder.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await user.call('GET', `/api/files?folderId=${folder.id}`)).body.items).toHaveLength(
      landed,
    );
  });
});

describe('the OpenAPI document', () => {
  it('has the trash routes and the item schema', async () => {
    const { body } = await new Client(server.baseUrl).call('GET', '/api/openapi.json');
    for (const [path, methods] of Object.entries({
      '/api/trash': ['delete', 'get'],
      '/api/trash/{id}': ['delete'],
      '/api/trash/{id}/restore': ['post'],
    }))
      expect(Object.keys(body.paths[path]).sort()).toEqual(methods);
    expect(Object.keys(body.components.schemas.TrashItem.properties).sort()).toEqual(
      ['deletedAt', 'id', 'kind', 'name', 'originalPath', 'size'].sort(),
    );
  });
});
