// onConflict=replace|keep|fail on every upload path, and renames/moves to a taken name (issue 13).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  chunkUpload,
  expectExactReferences,
  expectExactUsage,
  formUpload,
  instantUpload,
} from './support/versions.ts';

// 100 requests on one row take their turns; a loaded 2-core machine needs more than a minute.
const SLOW_MS = 180_000;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const versionsOf = async (user: Awaited<ReturnType<typeof newUser>>, fileId: string) =>
  (await user.call('GET', `/api/files/${fileId}/versions`)).body.items;

describe('POST /api/files?onConflict=', () => {
  it('keep (the default) adds " (1)"; replace gives the existing file the new content', async () => {
    const user = await newUser(server.baseUrl);
    const first = randomBytes(3000);
    const second = randomBytes(5000);
    const original = (await formUpload(user, 'plan.txt', first)).body.file;
    const kept = await formUpload(user, 'plan.txt', second, 'onConflict=keep');
    expect(kept.body.file.name).toBe('plan (1).txt');
    const third = randomBytes(7000);
    const replaced = await formUpload(user, 'plan.txt', third, 'onConflict=replace');
    expect(replaced.status).toBe(201);
    expect(replaced.body.file).toMatchObject({
      id: original.id,
      name: 'plan.txt',
      size: third.length,
      sha1: sha1Of(third),
      createdAt: original.createdAt,
    });
    expect(Date.parse(replaced.body.file.updatedAt)).toBeGreaterThan(
      Date.parse(original.updatedAt),
    );
    const content = await user.raw('GET', `/api/files/${original.id}/content`);
    expect(Buffer.from(await content.arrayBuffer())).toEqual(third);
    expect(await versionsOf(user, original.id)).toEqual([
      {
        id: expect.any(String),
        size: first.length,
        sha1: sha1Of(first),
        createdAt: original.updatedAt,
      },
    ]);
    // The old content is a version: it still counts, and its reference is held.
    expect(await expectExactUsage(server, user)).toBe(first.length + second.length + third.length);
    await expectExactReferences(server, [first, second, third].map(sha1Of));
    expect(await server.stagedFiles()).toEqual([]);
  });

  it('replace of a name that is free just adds the file', async () => {
    const user = await newUser(server.baseUrl);
    const res = await formUpload(user, 'new.txt', 'fresh', 'onConflict=replace');
    expect(res.status).toBe(201);
    expect(res.body.file.name).toBe('new.txt');
    expect(await versionsOf(user, res.body.file.id)).toEqual([]);
  });

  it('replace with the same content makes no version and keeps one reference', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2000);
    const file = (await formUpload(user, 'same.bin', bytes)).body.file;
    const again = await formUpload(user, 'same.bin', bytes, 'onConflict=replace');
    expect(again.body.file).toMatchObject({ id: file.id, sha1: file.sha1 });
    expect(await versionsOf(user, file.id)).toEqual([]);
    expect(await expectExactUsage(server, user)).toBe(bytes.length);
    await expectExactReferences(server, [sha1Of(bytes)]);
  });

  it('fail is 409 name_taken with the existing file id, and leaves nothing behind', async () => {
    const user = await newUser(server.baseUrl);
    const file = (await formUpload(user, 'taken.txt', 'old')).body.file;
    const bytes = randomBytes(4000);
    const blobs = await server.blobCount();
    const res = await formUpload(user, 'taken.txt', bytes, 'onConflict=fail');
    expectError(res, 409, 'name_taken');
    expect(res.body.error.fileId).toBe(file.id);
    expect(await server.blobCount()).toBe(blobs);
    expect(await server.stagedFiles()).toEqual([]);
    await expectExactReferences(server, [sha1Of(bytes)]);
    expect(await expectExactUsage(server, user)).toBe(3);
    // Another folder is another namespace.
    const folder = (await user.call('POST', '/api/folders', { name: 'f' })).body.folder;
    const there = await formUpload(
      user,
      'taken.txt',
      bytes,
      `folderId=${folder.id}&onConflict=fail`,
    );
    expect(there.status).toBe(201);
  });

  it("400 for an unknown onConflict; another user's file of that name is no conflict", async () => {
    const user = await newUser(server.baseUrl);
    const other = await newUser(server.baseUrl);
    expectError(
      await formUpload(user, 'x.txt', 'x', 'onConflict=overwrite'),
      400,
      'invalid_request',
    );
    await formUpload(other, 'x.txt', 'theirs');
    const mine = await formUpload(user, 'x.txt', 'mine', 'onConflict=fail');
    expect(mine.status).toBe(201);
    expect((await other.call('GET', '/api/files')).body.items[0].size).toBe(6);
  });

  it(
    '100 concurrent replaces of one name: one file, VERSIONS_MAX versions, exact counts',
    async () => {
      const user = await newUser(server.baseUrl);
      const contents = Array.from({ length: 100 }, (_, i) => randomBytes(1000 + i));
      const answers = await Promise.all(
        contents.map((bytes) => formUpload(user, 'hot.txt', bytes, 'onConflict=replace')),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
      const ids = new Set(answers.map((answer) => answer.body.file.id));
      expect(ids.size).toBe(1);
      const listed = (await user.call('GET', '/api/files')).body.items;
      expect(listed).toHaveLength(1);
      const versions = await versionsOf(user, listed[0].id);
      expect(versions).toHaveLength(10);
      const held = new Set([
        listed[0].sha1,
        ...versions.map((version: { sha1: string }) => version.sha1),
      ]);
      expect(held.size).toBe(11);
      await expectExactReferences(server, contents.map(sha1Of));
      await expectExactUsage(server, user);
      expect(await server.blobCount()).toBeGreaterThanOrEqual(11);
    },
    SLOW_MS,
  );

  it(
    '100 concurrent fail uploads of one new name: exactly one file',
    async () => {
      const user = await newUser(server.baseUrl);
      const contents = Array.from({ length: 100 }, () => randomBytes(500));
      const answers = await Promise.all(
        contents.map((bytes) => formUpload(user, 'once.txt', bytes, 'onConflict=fail')),
      );
      const created = answers.filter((answer) => answer.status === 201);
      expect(created).toHaveLength(1);
      for (const answer of answers.filter((each) => each.status !== 201)) {
        expectError(answer, 409, 'name_taken');
        expect(answer.body.error.fileId).toBe(created[0]!.body.file.id);
      }
      await expectExactReferences(server, contents.map(sha1Of));
      expect(await expectExactUsage(server, user)).toBe(500);
    },
    SLOW_MS,
  );
});

describe('chunk init and complete: onConflict', () => {
  it('fail is answered at init already; replace is applied at complete', async () => {
    const user = await newUser(server.baseUrl);
    const old = randomBytes(6000);
    const file = (await formUpload(user, 'big.iso', old)).body.file;
    const fresh = randomBytes(9000);
    const refused = await chunkUpload(user, 'big.iso', fresh, { onConflict: 'fail' });
    expectError(refused.init, 409, 'name_taken');
    expect(refused.init.body.error.fileId).toBe(file.id);
    const replaced = await chunkUpload(user, 'big.iso', fresh, { onConflict: 'replace' });
    expect(replaced.complete!.status).toBe(201);
    expect(replaced.complete!.body.file).toMatchObject({ id: file.id, sha1: sha1Of(fresh) });
    expect((await versionsOf(user, file.id))[0].sha1).toBe(sha1Of(old));
    await expectExactReferences(server, [sha1Of(old), sha1Of(fresh)]);
    await expectExactUsage(server, user);
  });

  it('fail at complete when the name was taken meanwhile: 409, the reference given back', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(7000);
    const init = await user.call('POST', '/api/uploads', {
      name: 'late.txt',
      size: bytes.length,
      sha1: sha1Of(bytes),
      onConflict: 'fail',
    });
    expect(init.status).toBe(201);
    await user.putChunk(init.body.uploadId, 0, bytes);
    const holder = (await formUpload(user, 'late.txt', 'first')).body.file;
    const complete = await user.call('POST', `/api/uploads/${init.body.uploadId}/complete`);
    expectError(complete, 409, 'name_taken');
    expect(complete.body.error.fileId).toBe(holder.id);
    await expectExactReferences(server, [sha1Of(bytes)]);
    expect(await expectExactUsage(server, user)).toBe(5);
    // The upload stays open: renamed out of the way, the same complete succeeds.
    await user.call('PATCH', `/api/files/${holder.id}`, { name: 'moved.txt' });
    const retried = await user.call('POST', `/api/uploads/${init.body.uploadId}/complete`);
    expect(retried.status).toBe(201);
    expect(retried.body.file.name).toBe('late.txt');
  });

  it('the same upload asked for again takes the new onConflict', async () => {
    const user = await newUser(server.baseUrl);
    const file = (await formUpload(user, 'doc.txt', 'one')).body.file;
    const bytes = randomBytes(3000);
    const body = { name: 'doc.txt', size: bytes.length, sha1: sha1Of(bytes) };
    const first = await user.call('POST', '/api/uploads', body);
    const again = await user.call('POST', '/api/uploads', { ...body, onConflict: 'replace' });
    expect(again.body.uploadId).toBe(first.body.uploadId);
    await user.putChunk(first.body.uploadId, 0, bytes);
    const done = await user.call('POST', `/api/uploads/${first.body.uploadId}/complete`);
    expect(done.body.file.id).toBe(file.id);
    expectError(await user.call('POST', '/api/uploads', { ...body, onConflict: 'never' }), 400);
  });
});

describe('instant upload: onConflict', () => {
  it('replace, fail and keep with content that exists', async () => {
    const owner = await newUser(server.baseUrl);
    const user = await newUser(server.baseUrl);
    const shared = randomBytes(10_000);
    await formUpload(owner, 'source.bin', shared);
    const file = (await formUpload(user, 'copy.bin', 'before')).body.file;
    const failed = await instantUpload(user, 'copy.bin', shared, { onConflict: 'fail' });
    expectError(failed, 409, 'name_taken');
    expect(failed.body.error.fileId).toBe(file.id);
    await expectExactReferences(server, [sha1Of(shared)]);
    const kept = await instantUpload(user, 'copy.bin', shared);
    expect(kept.body.file.name).toBe('copy (1).bin');
    const replaced = await instantUpload(user, 'copy.bin', shared, { onConflict: 'replace' });
    expect(replaced.status).toBe(201);
    expect(replaced.body.file).toMatchObject({ id: file.id, sha1: sha1Of(shared) });
    expect((await versionsOf(user, file.id))[0].size).toBe(6);
    await expectExactReferences(server, [sha1Of(shared), sha1Of('before')]);
    await expectExactUsage(server, user);
    expectError(
      await user.call('POST', '/api/files/instant', { ...kept.body.file, onConflict: 'x' }),
      400,
    );
  });
});

describe('PATCH: rename to a taken name, moves', () => {
  it('a file renamed to a taken name is 409 name_taken and unchanged', async () => {
    const user = await newUser(server.baseUrl);
    const a = (await formUpload(user, 'a.txt', 'a')).body.file;
    const b = (await formUpload(user, 'b.txt', 'b')).body.file;
    const res = await user.call('PATCH', `/api/files/${b.id}`, { name: 'a.txt' });
    expectError(res, 409, 'name_taken');
    expect(res.body.error.fileId).toBe(a.id);
    expect((await user.call('GET', `/api/files/${b.id}`)).body.file).toEqual(b);
    // Renaming to its own name is no change; another user's file is 404.
    expect((await user.call('PATCH', `/api/files/${b.id}`, { name: 'b.txt' })).status).toBe(200);
    const other = await newUser(server.baseUrl);
    expectError(await other.call('PATCH', `/api/files/${b.id}`, { name: 'c.txt' }), 404);
  });

  it('a move keeps the modified time; a move with a taken name given is 409', async () => {
    const user = await newUser(server.baseUrl);
    const folder = (await user.call('POST', '/api/folders', { name: 'docs' })).body.folder;
    const file = (await formUpload(user, 'r.txt', 'r')).body.file;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moved = await user.call('PATCH', `/api/files/${file.id}`, { folderId: folder.id });
    expect(moved.body.file).toMatchObject({ folderId: folder.id, updatedAt: file.updatedAt });
    const back = await user.call('PATCH', `/api/files/${file.id}`, { folderId: null });
    expect(back.body.file.updatedAt).toBe(file.updatedAt);
    // A move alone into a folder where the name is taken keeps both: " (1)".
    const twin = (await formUpload(user, 'r.txt', 'twin', `folderId=${folder.id}`)).body.file;
    const suffixed = await user.call('PATCH', `/api/files/${file.id}`, { folderId: folder.id });
    expect(suffixed.body.file).toMatchObject({ name: 'r (1).txt', updatedAt: file.updatedAt });
    const named = await user.call('PATCH', `/api/files/${suffixed.body.file.id}`, {
      name: 'r.txt',
      folderId: folder.id,
    });
    expectError(named, 409, 'name_taken');
    expect(named.body.error.fileId).toBe(twin.id);
    // A rename is a change: its time moves on.
    const renamed = await user.call('PATCH', `/api/files/${file.id}`, { name: 's.txt' });
    expect(Date.parse(renamed.body.file.updatedAt)).toBeGreaterThan(Date.parse(file.updatedAt));
  });

  it('folders: rename to a taken name is 409 with the folder id; a move keeps updatedAt', async () => {
    const user = await newUser(server.baseUrl);
    const make = async (name: string, parentId?: string) =>
      (await user.call('POST', '/api/folders', { name, parentId })).body.folder;
    const photos = await make('photos');
    const music = await make('music');
    const res = await user.call('PATCH', `/api/folders/${music.id}`, { name: 'photos' });
    expectError(res, 409, 'name_taken');
    expect(res.body.error.folderId).toBe(photos.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moved = await user.call('PATCH', `/api/folders/${music.id}`, { parentId: photos.id });
    expect(moved.body.folder).toMatchObject({ parentId: photos.id, updatedAt: music.updatedAt });
  });
});

describe('replace and the quota', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ DEFAULT_QUOTA_BYTES: '10000' });
  });
  afterAll(() => small.stop());

  it('the old content stays counted as a version: a replace that does not fit is 413', async () => {
    const user = await newUser(small.baseUrl);
    const old = randomBytes(6000);
    const file = (await formUpload(user, 'q.bin', old)).body.file;
    const fresh = randomBytes(5000);
    const refused = await formUpload(user, 'q.bin', fresh, 'onConflict=replace');
    expectError(refused, 413, 'quota_exceeded');
    expect((await user.call('GET', `/api/files/${file.id}`)).body.file).toEqual(file);
    expect(await expectExactUsage(small, user)).toBe(6000);
    await expectExactReferences(small, [sha1Of(old), sha1Of(fresh)]);
    const fits = randomBytes(4000);
    const replaced = await formUpload(user, 'q.bin', fits, 'onConflict=replace');
    expect(replaced.body.file).toMatchObject({ id: file.id, size: 4000 });
    expect(await expectExactUsage(small, user)).toBe(10_000);
  });
});
