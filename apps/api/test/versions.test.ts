// Earlier contents of a file (issue 13): GET /api/files/:id/versions, restore, content; VERSIONS_MAX
// at replace time and as a housekeeping step; references and quota exact under races.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  askInstant,
  expectExactReferences,
  expectExactUsage,
  formUpload,
  proveInstant,
} from './support/versions.ts';
import { FileVersions } from '../src/versions/service.ts';
import type { VersionRow } from '../src/versions/models.ts';
import type { ModelStatic } from 'sequelize';

type User = Awaited<ReturnType<typeof newUser>>;
// 100 requests on one row take their turns; a loaded 2-core machine needs more than a minute.
const SLOW_MS = 180_000;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A file given each of `contents` in turn (the first uploads it, the others replace it). */
async function fileWith(user: User, name: string, contents: Uint8Array[]) {
  let file;
  for (const bytes of contents) {
    const res = await formUpload(user, name, bytes, 'onConflict=replace');
    expect(res.status).toBe(201);
    file = res.body.file;
  }
  return file as { id: string; sha1: string; size: number; updatedAt: string };
}

const versionsOf = async (user: Client, fileId: string) =>
  (await user.call('GET', `/api/files/${fileId}/versions`)).body.items as {
    id: string;
    sha1: string;
    size: number;
    createdAt: string;
  }[];

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe('GET /api/files/:id/versions and …/content', () => {
  it('newest first, the current content not included; each version downloads with Range', async () => {
    const user = await newUser(server.baseUrl);
    const contents = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    const file = await fileWith(user, 'notes.md', contents);
    const versions = await versionsOf(user, file.id);
    expect(versions.map((version) => version.sha1)).toEqual([
      sha1Of(contents[1]!),
      sha1Of(contents[0]!),
    ]);
    expect(versions.map((version) => version.size)).toEqual([2000, 1000]);
    expect(Date.parse(versions[0]!.createdAt)).toBeGreaterThanOrEqual(
      Date.parse(versions[1]!.createdAt),
    );

    const path = `/api/files/${file.id}/versions/${versions[1]!.id}/content`;
    const whole = await user.raw('GET', path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('etag')).toContain(sha1Of(contents[0]!));
    expect(whole.headers.get('content-disposition')).toContain('notes.md');
    expect(await bytesOf(whole)).toEqual(contents[0]);
    const part = await user.raw('GET', path, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(await bytesOf(part)).toEqual(contents[0]!.subarray(100, 200));
    const stale = await user.raw('GET', path, {
      headers: { range: 'bytes=0-9', 'if-range': '"not-the-etag"' },
    });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    expectError(
      await user.call('GET', path, undefined, { range: 'bytes=5000-6000' }),
      416,
      'range_not_satisfiable',
    );
  });

  it("404 for another user's file, another file's version, a missing one; 400 for a bad id", async () => {
    const owner = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const file = await fileWith(owner, 'a.txt', [randomBytes(10), randomBytes(20)]);
    const otherFile = await fileWith(owner, 'b.txt', [randomBytes(30), randomBytes(40)]);
    const [version] = await versionsOf(owner, file.id);
    const [otherVersion] = await versionsOf(owner, otherFile.id);
    const base = `/api/files/${file.id}/versions`;
    expectError(await stranger.call('GET', base), 404, 'not_found');
    expectError(await stranger.call('GET', `${base}/${version!.id}/content`), 404, 'not_found');
    expectError(await stranger.call('POST', `${base}/${version!.id}/restore`), 404, 'not_found');
    expectError(await owner.call('GET', `${base}/${otherVersion!.id}/content`), 404, 'not_found');
    expectError(await owner.call('POST', `${base}/${otherVersion!.id}/restore`), 404, 'not_found');
    expectError(await owner.call('GET', `${base}/nosuchversion/content`), 404, 'not_found');
    expectError(await owner.call('GET', '/api/files/nosuchfile/versions'), 404, 'not_found');
    expectError(await owner.call('GET', `${base}/bad%20id/content`), 400, 'invalid_request');
    expectError(await owner.call('POST', `/api/files/b%2Fd/versions/${version!.id}/restore`), 400);
    expect((await new Client(server.baseUrl).call('GET', base)).status).toBe(401);
    // Nothing changed.
    expect(await versionsOf(owner, otherFile.id)).toEqual([otherVersion]);
  });
});

describe('POST /api/files/:id/versions/:versionId/restore', () => {
  it('that content becomes current and the current one a version; counts do not move', async () => {
    const user = await newUser(server.baseUrl);
    const [old, current] = [randomBytes(5000), randomBytes(8000)];
    const file = await fileWith(user, 'report.pdf', [old, current]);
    const [version] = await versionsOf(user, file.id);
    const used = await expectExactUsage(server, user);
    const res = await user.call('POST', `/api/files/${file.id}/versions/${version!.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.file).toMatchObject({
      id: file.id,
      name: 'report.pdf',
      sha1: sha1Of(old),
      size: 5000,
    });
    expect(Date.parse(res.body.file.updatedAt)).toBeGreaterThan(Date.parse(file.updatedAt));
    expect(await bytesOf(await user.raw('GET', `/api/files/${file.id}/content`))).toEqual(old);
    const after = await versionsOf(user, file.id);
    expect(after).toEqual([
      { id: expect.any(String), sha1: sha1Of(current), size: 8000, createdAt: file.updatedAt },
    ]);
    expect(await expectExactUsage(server, user)).toBe(used);
    await expectExactReferences(server, [sha1Of(old), sha1Of(current)]);
    // The restored version is gone: restoring it again is 404.
    expectError(
      await user.call('POST', `/api/files/${file.id}/versions/${version!.id}/restore`),
      404,
    );
  });

  it('a share link open on the file serves each current content: replace, then restore', async () => {
    const owner = await newUser(server.baseUrl);
    const [first, second] = [randomBytes(4000), randomBytes(6000)];
    const file = await fileWith(owner, 'shared.bin', [first]);
    const { share } = (await owner.call('POST', '/api/shares', { fileId: file.id })).body;
    const guest = new Client(server.baseUrl);
    const download = async () =>
      bytesOf(await guest.raw('GET', `/api/public/shares/${share.token}/content`));
    expect(await download()).toEqual(first);
    await fileWith(owner, 'shared.bin', [second]);
    expect(await download()).toEqual(second);
    expect((await guest.call('GET', `/api/public/shares/${share.token}`)).body.size).toBe(6000);
    const [version] = await versionsOf(owner, file.id);
    await owner.call('POST', `/api/files/${file.id}/versions/${version!.id}/restore`);
    expect(await download()).toEqual(first);
  });

  it(
    '100 concurrent restores of one version: one wins, the others 404; counts exact',
    async () => {
      const user = await newUser(server.baseUrl);
      const contents = [randomBytes(700), randomBytes(900)];
      const file = await fileWith(user, 'race.txt', contents);
      const [version] = await versionsOf(user, file.id);
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          user.call('POST', `/api/files/${file.id}/versions/${version!.id}/restore`),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      for (const answer of answers.filter((each) => each.status !== 200)) expectError(answer, 404);
      expect(await versionsOf(user, file.id)).toHaveLength(1);
      await expectExactReferences(server, contents.map(sha1Of));
      await expectExactUsage(server, user);
    },
    SLOW_MS,
  );
});

describe('versions and the trash', () => {
  it('a trashed file keeps its versions (and their quota) until purged; a purged id is 404', async () => {
    const user = await newUser(server.baseUrl);
    const contents = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    const file = await fileWith(user, 'kept.txt', contents);
    const versions = await versionsOf(user, file.id);
    expect(await user.call('DELETE', `/api/files/${file.id}`)).toMatchObject({ status: 204 });
    expectError(await user.call('GET', `/api/files/${file.id}/versions`), 404, 'not_found');
    const restorePath = `/api/files/${file.id}/versions/${versions[0]!.id}/restore`;
    expectError(await user.call('POST', restorePath), 404, 'not_found');
    expect(await expectExactUsage(server, user)).toBe(6000);
    // Back from the trash, with its versions.
    expect((await user.call('POST', `/api/trash/${file.id}/restore`)).status).toBe(200);
    expect(await versionsOf(user, file.id)).toEqual(versions);
    // Purged: the versions go with it, their references and bytes too.
    await user.call('DELETE', `/api/files/${file.id}`);
    expect((await user.call('DELETE', `/api/trash/${file.id}`)).status).toBe(204);
    expectError(await user.call('GET', `/api/files/${file.id}/versions`), 404, 'not_found');
    const contentPath = `/api/files/${file.id}/versions/${versions[1]!.id}/content`;
    expectError(await user.call('GET', contentPath), 404, 'not_found');
    expect(await expectExactUsage(server, user)).toBe(0);
    expect(await server.query('SELECT id FROM file_versions WHERE file_id = ?', [file.id])).toEqual(
      [],
    );
    await expectExactReferences(server, contents.map(sha1Of));
  });

  it('emptying the trash drops the versions of the files in a trashed folder', async () => {
    const user = await newUser(server.baseUrl);
    const folder = (await user.call('POST', '/api/folders', { name: 'old' })).body.folder;
    const contents = [randomBytes(500), randomBytes(600)];
    for (const bytes of contents)
      await formUpload(user, 'a.txt', bytes, `folderId=${folder.id}&onConflict=replace`);
    expect(await user.call('DELETE', `/api/folders/${folder.id}`)).toMatchObject({ status: 204 });
    expect(await expectExactUsage(server, user)).toBe(1100);
    expect((await user.call('DELETE', '/api/trash')).status).toBe(204);
    expect(await expectExactUsage(server, user)).toBe(0);
    await expectExactReferences(server, contents.map(sha1Of));
  });

  it(
    'version restores racing a trash and 100 purges of the file: counts exact',
    async () => {
      const user = await newUser(server.baseUrl);
      const contents = [randomBytes(800), randomBytes(900), randomBytes(1000)];
      const file = await fileWith(user, 'gone.txt', contents);
      const versions = await versionsOf(user, file.id);
      const restores = versions.map((version) =>
        user.call('POST', `/api/files/${file.id}/versions/${version.id}/restore`),
      );
      const trashed = user.call('DELETE', `/api/files/${file.id}`);
      const purges = Array.from({ length: 100 }, () =>
        user.call('DELETE', `/api/trash/${file.id}`),
      );
      const answers = await Promise.all([...restores, trashed, ...purges]);
      for (const answer of answers) expect([200, 204, 404]).toContain(answer.status);
      // Whatever the order, once it is purged nothing of the file is left.
      await user.call('DELETE', `/api/files/${file.id}`);
      await user.call('DELETE', `/api/trash/${file.id}`);
      expect(await expectExactUsage(server, user)).toBe(0);
      await expectExactReferences(server, contents.map(sha1Of));
    },
    SLOW_MS,
  );
});

describe('VERSIONS_MAX', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ VERSIONS_MAX: '2' });
  });
  afterAll(() => small.stop());

  it('a replace prunes the oldest beyond it: its reference goes, its bytes and quota are freed', async () => {
    const user = await newUser(small.baseUrl);
    const contents = Array.from({ length: 5 }, (_, i) => randomBytes(1000 * (i + 1)));
    const blobs = await small.blobCount();
    const file = await fileWith(user, 'log.txt', contents);
    const versions = await versionsOf(user, file.id);
    expect(versions.map((version) => version.sha1)).toEqual([
      sha1Of(contents[3]!),
      sha1Of(contents[2]!),
    ]);
    expect(await small.blobCount()).toBe(blobs + 3);
    expect(await expectExactUsage(small, user)).toBe(5000 + 4000 + 3000);
    await expectExactReferences(small, contents.map(sha1Of));
  });

  it(
    'replace and restore racing prunes on one file keep counts exact',
    async () => {
      const user = await newUser(small.baseUrl);
      const file = await fileWith(user, 'busy.txt', [randomBytes(100), randomBytes(200)]);
      const contents = Array.from({ length: 60 }, (_, i) => randomBytes(300 + i));
      const work = contents.map(async (bytes, i) => {
        if (i % 3 !== 0) return formUpload(user, 'busy.txt', bytes, 'onConflict=replace');
        const [newest] = await versionsOf(user, file.id);
        return user.call('POST', `/api/files/${file.id}/versions/${newest!.id}/restore`);
      });
      for (const answer of await Promise.all(work))
        expect([200, 201, 404]).toContain(answer.status);
      expect((await versionsOf(user, file.id)).length).toBeLessThanOrEqual(2);
      await expectExactReferences(small, contents.map(sha1Of));
      await expectExactUsage(small, user);
    },
    SLOW_MS,
  );

  it(
    'a restore, replaces that prune, and instant uploads of the same content race: exact',
    async () => {
      const owner = await newUser(small.baseUrl);
      const content = randomBytes(20_000);
      const file = await fileWith(owner, 'x.bin', [content, randomBytes(100)]);
      const [version] = await versionsOf(owner, file.id);
      // Only the version holds the content now; other users hold challenges for it. The restore
      // makes it current, the replaces push it back and prune it (VERSIONS_MAX=2) while the proofs
      // add references to it: each proof lands (201) or finds the content gone (404).
      const others = await Promise.all(Array.from({ length: 20 }, () => newUser(small.baseUrl)));
      const body = { name: 'copy.bin', size: content.length, sha1: sha1Of(content) };
      const challenges = await Promise.all(others.map((user) => askInstant(user, body)));
      const replacing = Array.from({ length: 4 }, () => randomBytes(500));
      const [restored, replaced, proved] = await Promise.all([
        Promise.all(
          Array.from({ length: 5 }, () =>
            owner.call('POST', `/api/files/${file.id}/versions/${version!.id}/restore`),
          ),
        ),
        Promise.all(
          replacing.map((bytes) => formUpload(owner, 'x.bin', bytes, 'onConflict=replace')),
        ),
        Promise.all(
          others.map((user, i) => proveInstant(user, body, challenges[i]!.body.challenge, content)),
        ),
      ]);
      expect(restored.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(replaced.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
      for (const answer of proved) expect([201, 404]).toContain(answer.status);
      await expectExactReferences(small, [content, ...replacing].map(sha1Of));
      for (const user of [owner, ...others]) await expectExactUsage(small, user);
    },
    SLOW_MS,
  );

  it('housekeeping prunes files beyond a lowered VERSIONS_MAX, safely from several processes', async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => newUser(server.baseUrl)));
    const contents = users.map(() => Array.from({ length: 6 }, () => randomBytes(1500)));
    const files = await Promise.all(
      users.map((user, i) => fileWith(user, 'many.txt', contents[i]!)),
    );
    for (const [i, user] of users.entries())
      expect(await versionsOf(user, files[i]!.id)).toHaveLength(5);
    // Processes configured with VERSIONS_MAX=2 over the same database, pruning at once.
    const { sequelize, accounts, files: fileService } = server.services;
    const Version = sequelize.model('FileVersion') as ModelStatic<VersionRow>;
    const lowered = () => new FileVersions(sequelize, Version, accounts, 2);
    const pruned = await Promise.all(
      Array.from({ length: 3 }, () =>
        lowered().pruneAll((sha1s) => fileService.dropReferences(sha1s)),
      ),
    );
    expect(pruned.reduce((total, count) => total + count, 0)).toBe(3 * 3);
    for (const [i, user] of users.entries()) {
      const kept = await versionsOf(user, files[i]!.id);
      expect(kept.map((version) => version.sha1)).toEqual([
        sha1Of(contents[i]![4]!),
        sha1Of(contents[i]![3]!),
      ]);
      expect(await expectExactUsage(server, user)).toBe(1500 * 3);
    }
    await expectExactReferences(server, contents.flat().map(sha1Of));
  });
});

describe('VERSIONS_MAX=0', () => {
  let none: TestServer;
  beforeAll(async () => {
    none = await startTestServer({ VERSIONS_MAX: '0' });
  });
  afterAll(() => none.stop());

  it('replace keeps no version: the old content is dropped at once', async () => {
    const user = await newUser(none.baseUrl);
    const [old, fresh] = [randomBytes(3000), randomBytes(4000)];
    const file = await fileWith(user, 'one.txt', [old, fresh]);
    expect(await versionsOf(user, file.id)).toEqual([]);
    expect(await expectExactUsage(none, user)).toBe(4000);
    await expectExactReferences(none, [sha1Of(old), sha1Of(fresh)]);
  });

  it('a wrong VERSIONS_MAX stops start-up with one line', async () => {
    const { loadConfig } = await import('../src/config.ts');
    expect(() => loadConfig({ VERSIONS_MAX: '-1' })).toThrow(/^VERSIONS_MAX: /);
    expect(() => loadConfig({ VERSIONS_MAX: 'ten' })).toThrow(/^VERSIONS_MAX: /);
  });
});

describe('the OpenAPI document', () => {
  it('has the versions routes and onConflict on every upload path', async () => {
    const { body } = await new Client(server.baseUrl).call('GET', '/api/openapi.json');
    expect(Object.keys(body.paths['/api/files/{id}/versions'])).toEqual(['get']);
    expect(Object.keys(body.paths['/api/files/{id}/versions/{versionId}/restore'])).toEqual([
      'post',
    ]);
    const content = body.paths['/api/files/{id}/versions/{versionId}/content'].get;
    expect(Object.keys(content.responses)).toEqual(expect.arrayContaining(['200', '206', '404']));
    const formQuery = body.paths['/api/files'].post.parameters.map((p: { name: string }) => p.name);
    expect(formQuery).toContain('onConflict');
    const { schemas } = body.components;
    for (const schema of ['CreateUploadBody', 'InstantUploadBody'])
      expect(schemas[schema].properties.onConflict.enum).toEqual(['keep', 'replace', 'fail']);
    expect(schemas.Error.properties.error.properties).toHaveProperty('fileId');
    expect(body.paths['/api/files/{id}'].patch.responses).toHaveProperty('409');
  });
});
