// Folder trees of any depth: no move makes a loop, depth is capped, and every walk of a tree
// (breadcrumbs, archive, recursive delete) ends and lets other writers through. Deep trees are
// built by inserting rows directly (the API would take minutes); every move goes through HTTP.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FOLDER_DEPTH } from '@filestore/contract';
import { expectError, newUser } from './support/client.ts';
import { deleteForever } from './support/trash.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>> & { id: string };

async function user(): Promise<User> {
  const client = await newUser(server.baseUrl);
  return Object.assign(client, { id: (await client.call('GET', '/api/me')).body.user.id });
}

async function folder(owner: User, name: string, parentId?: string): Promise<string> {
  const res = await owner.call('POST', '/api/folders', { name, parentId });
  expect(res.status).toBe(201);
  return res.body.folder.id;
}

const newId = () => randomBytes(12).toString('base64url');

/** Inserts rows into `table`, a few hundred per statement. */
async function insertRows(table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let at = 0; at < rows.length; at += 200) {
    const slice = rows.slice(at, at + 200);
    await server.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => tuple).join(', ')}`,
      slice.flat(),
    );
  }
}

/** `depth` folders, each inside the one before, below `parentId`: their ids, top first. */
async function insertChain(owner: User, parentId: string, depth: number): Promise<string[]> {
  const ids = Array.from({ length: depth }, newId);
  const now = new Date();
  await insertRows(
    'folders',
    ['id', 'user_id', 'parent_id', 'name', 'created_at', 'updated_at'],
    ids.map((id, i) => [id, owner.id, i === 0 ? parentId : ids[i - 1], `level ${i}`, now, now]),
  );
  return ids;
}

/** Every folder of the user reaches the root (no loop anywhere). */
async function assertNoLoop(owner: User): Promise<void> {
  const rows = await server.query<{ id: string; parent_id: string }>(
    'SELECT id, parent_id FROM folders WHERE user_id = ?',
    [owner.id],
  );
  const parentOf = new Map(rows.map((row) => [row.id, row.parent_id]));
  const reachesRoot = new Set<string>(['']);
  const looping: string[] = [];
  for (const start of parentOf.keys()) {
    const path: string[] = [];
    let at = start;
    while (!reachesRoot.has(at) && !path.includes(at) && path.length <= parentOf.size) {
      path.push(at);
      at = parentOf.get(at) ?? '';
    }
    if (reachesRoot.has(at)) for (const id of path) reachesRoot.add(id);
    else looping.push(start);
  }
  expect(looping).toEqual([]);
}

const childIds = async (owner: User, parentId?: string) =>
  (
    (await owner.call('GET', `/api/folders${parentId ? `?parentId=${parentId}` : ''}`)).body
      .items as { id: string }[]
  ).map((item) => item.id);

describe('folder depth', () => {
  it('moving the top of a 1,002-deep chain under its bottom is refused; the tree still lists', async () => {
    const owner = await user();
    const top = await folder(owner, 'top');
    const chain = await insertChain(owner, top, 1001);
    const bottom = chain.at(-1)!;

    expectError(
      await owner.call('PATCH', `/api/folders/${top}`, { parentId: bottom }),
      400,
      'too_deep',
    );
    expectError(
      await owner.call('PATCH', `/api/folders/${top}`, { parentId: chain[5] }),
      400,
      'invalid_move',
    );
    await assertNoLoop(owner);
    expect(await childIds(owner)).toEqual([top]);
    expect(await childIds(owner, top)).toEqual([chain[0]]);
    expect(await childIds(owner, chain[999])).toEqual([bottom]);
    // Breadcrumbs of a tree made deeper before the limit: answered, at most MAX_FOLDER_DEPTH of them.
    const crumbs = await owner.call('GET', `/api/folders/${bottom}`);
    expect(crumbs.status).toBe(200);
    expect(crumbs.body.path).toHaveLength(MAX_FOLDER_DEPTH);
    expect(crumbs.body.path.at(-1).id).toBe(bottom);
  });

  it(`folders nest at most ${MAX_FOLDER_DEPTH} levels: deeper is 400 too_deep on create and on move`, async () => {
    const owner = await user();
    const top = await folder(owner, 'top');
    const chain = await insertChain(owner, top, MAX_FOLDER_DEPTH - 2); // the last one at MAX_FOLDER_DEPTH - 1
    const last = await folder(owner, 'last', chain.at(-1)); // at MAX_FOLDER_DEPTH
    expectError(
      await owner.call('POST', '/api/folders', { name: 'deeper', parentId: last }),
      400,
      'too_deep',
    );

    const a = await folder(owner, 'a');
    await folder(owner, 'b', a); // a is two levels tall
    expectError(
      await owner.call('PATCH', `/api/folders/${a}`, { parentId: chain.at(-1) }),
      400,
      'too_deep',
    );
    const fits = await owner.call('PATCH', `/api/folders/${a}`, { parentId: chain.at(-2) });
    expect(fits.status).toBe(200);
    const crumbs = await owner.call('GET', `/api/folders/${(await childIds(owner, a))[0]}`);
    expect(crumbs.body.path).toHaveLength(MAX_FOLDER_DEPTH);
  });

  it('crossing moves between two deep chains at the same time never make a loop', async () => {
    const owner = await user();
    for (let round = 0; round < 3; round++) {
      const left = await folder(owner, `left ${round}`);
      const right = await folder(owner, `right ${round}`);
      const leftBottom = (await insertChain(owner, left, 100)).at(-1)!;
      const rightBottom = (await insertChain(owner, right, 100)).at(-1)!;
      const answers = await Promise.all([
        owner.call('PATCH', `/api/folders/${left}`, { parentId: rightBottom }),
        owner.call('PATCH', `/api/folders/${right}`, { parentId: leftBottom }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      expectError(
        answers.find((answer) => answer.status === 400)!,
        400,
        'invalid_move',
      );
    }
    await assertNoLoop(owner);
  });

  it('a loop left in the data by the old move check: archive, breadcrumbs and delete all end', async () => {
    const owner = await user();
    const first = await folder(owner, 'first');
    const [second, third] = await insertChain(owner, first, 2);
    const form = new FormData();
    form.append('file', new Blob(['looped']), 'inside.txt');
    expect((await owner.raw('POST', `/api/files?folderId=${second}`, { body: form })).status).toBe(
      201,
    );
    await server.query('UPDATE folders SET parent_id = ? WHERE id = ?', [third, first]);

    const zip = await owner.raw('POST', '/api/files/archive', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileIds: [], folderIds: [first] }),
      signal: AbortSignal.timeout(20_000),
    });
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.includes('first/level 0/inside.txt')).toBe(true);

    const crumbs = await owner.call('GET', `/api/folders/${second}`);
    expect(crumbs.status).toBe(200);
    expect(crumbs.body.path.length).toBeLessThanOrEqual(MAX_FOLDER_DEPTH);

    expect((await owner.call('DELETE', `/api/folders/${first}`)).status).toBe(204);
    for (const id of [first, second, third])
      expectError(await owner.call('GET', `/api/folders/${id}`), 404);
    const restored = await owner.call('POST', `/api/trash/${first}/restore`);
    expect(restored.body.folder).toMatchObject({ id: first, parentId: null }); // its parent was in the loop
    expect((await owner.call('GET', `/api/folders/${third}`)).status).toBe(200);
    expect((await deleteForever(owner, first, 'folders')).status).toBe(204);
    expect(await server.query('SELECT id FROM folders WHERE user_id = ?', [owner.id])).toEqual([]);
    expect((await owner.call('GET', '/api/me')).body.user.usedBytes).toBe(0);
  });

  it('folders and files that arrive in a tree while it is deleted go with it or are refused', async () => {
    const owner = await user();
    const top = await folder(owner, 'doomed');
    const chain = await insertChain(owner, top, 60);
    const arrivals: Promise<{ status: number }>[] = [];
    const removing = owner.call('DELETE', `/api/folders/${top}`);
    for (let i = 0; i < 30; i++) {
      const parentId = chain[(i * 7) % chain.length]!;
      arrivals.push(owner.call('POST', '/api/folders', { name: `new ${i}`, parentId }));
      const form = new FormData();
      form.append('file', new Blob([`arrival ${i}`]), `arrival ${i}.txt`);
      arrivals.push(owner.raw('POST', `/api/files?folderId=${parentId}`, { body: form }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await removing).status).toBe(204);
    for (const answer of await Promise.all(arrivals)) expect([201, 404]).toContain(answer.status);
    const alive = (table: string) =>
      server.query(`SELECT id FROM ${table} WHERE user_id = ? AND alive = 1`, [owner.id]);
    expect(await alive('folders')).toEqual([]);
    expect(await alive('user_files')).toEqual([]);
    // Everything that got in is in the trash with the tree: emptying it leaves nothing.
    expect((await owner.call('DELETE', '/api/trash')).status).toBe(204);
    expect(await server.query('SELECT id FROM folders WHERE user_id = ?', [owner.id])).toEqual([]);
    expect(await server.query('SELECT id FROM user_files WHERE user_id = ?', [owner.id])).toEqual(
      [],
    );
    expect((await owner.call('GET', '/api/me')).body.user.usedBytes).toBe(0);
  });

  it('purging a big tree from the trash lets another user’s upload through while it runs', async () => {
    const owner = await user();
    const seed = await owner.upload('seed.bin', 'seed bytes');
    const { sha1, size } = seed.body.file as { sha1: string; size: number };
    const top = await folder(owner, 'big');
    const chain = await insertChain(owner, top, 50);
    const now = new Date();
    const files = [top, ...chain].flatMap((folderId) =>
      Array.from({ length: 20 }, (_, i) => [
        newId(),
        owner.id,
        folderId,
        `f${i}.bin`,
        sha1,
        size,
        1,
        now,
        now,
      ]),
    );
    await insertRows(
      'user_files',
      ['id', 'user_id', 'folder_id', 'name', 'sha1', 'size', 'alive', 'created_at', 'updated_at'],
      files,
    );
    await server.query(
      `UPDATE file_${sha1.slice(-2)} SET ref_count = ref_count + ? WHERE sha1 = ?`,
      [files.length, sha1],
    );
    await server.query('UPDATE users SET used_bytes = used_bytes + ? WHERE id = ?', [
      files.length * size,
      owner.id,
    ]);
    const inTrash = async () =>
      Number(
        (
          await server.query<{ n: number }>(
            'SELECT COUNT(*) AS n FROM user_files WHERE trash_id = ?',
            [top],
          )
        )[0]!.n,
      );
    expect((await owner.call('DELETE', `/api/folders/${top}`)).status).toBe(204);
    expect(await inTrash()).toBe(files.length);

    let finished = false;
    const removing = owner.call('DELETE', `/api/trash/${top}`).finally(() => {
      finished = true;
    });
    while (!finished && (await inTrash()) === files.length) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const other = await user();
    const started = Date.now();
    expect((await other.upload('meanwhile.bin', randomBytes(5000))).status).toBe(201);
    const waited = Date.now() - started;
    // The upload went in between the purge's batches, long before the tree was gone.
    expect(await inTrash()).toBeGreaterThan(0);
    expect(waited).toBeLessThan(3000);

    expect((await removing).status).toBe(204);
    expect(await inTrash()).toBe(0);
    expect((await owner.call('GET', '/api/me')).body.user.usedBytes).toBe(size);
    const [content] = await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    );
    expect(Number(content!.ref_count)).toBe(1);
    expect(await childIds(owner)).toEqual([]);
  });
});
