import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, newUser } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

const methods = new Map<string, number>(); // entry name → zip compression method (0 store, 8 deflate)

/** Every entry of a zip (yauzl checks each entry's CRC-32 while reading it). */
async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await promisify<Buffer, yauzl.Options, yauzl.ZipFile>(yauzl.fromBuffer)(zip, {
    lazyEntries: false,
  });
  const entries = new Map<string, Buffer>();
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve).on('error', reject);
  });
  const reads: Promise<void>[] = [];
  archive.on('entry', (entry: yauzl.Entry) => {
    methods.set(entry.fileName, entry.compressionMethod);
    reads.push(
      (async () => {
        const stream = await promisify(archive.openReadStream.bind(archive))(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        entries.set(entry.fileName, Buffer.concat(chunks));
      })(),
    );
  });
  await done;
  await Promise.all(reads);
  return entries;
}

async function folder(user: User, name: string, parentId?: string) {
  return (await user.call('POST', '/api/folders', { name, parentId })).body.folder as {
    id: string;
  };
}

async function uploadInto(user: User, folderId: string | undefined, name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await user.raw('POST', `/api/files${folderId ? `?folderId=${folderId}` : ''}`, {
    body: form,
  });
  return (await res.json()).file as { id: string };
}

describe('POST /api/files/archive', () => {
  it('streams the selected files and folder trees as one zip', async () => {
    const user = await newUser(server.baseUrl);
    const photos = await folder(user, '照片');
    const trip = await folder(user, 'trip', photos.id);
    await folder(user, 'empty', photos.id);
    const big = randomBytes(3 * 1024 * 1024);
    const small = Buffer.from('hello zip');
    const inTrip = randomBytes(5000);
    await uploadInto(user, photos.id, 'big.bin', big);
    await uploadInto(user, trip.id, 'a.jpg', inTrip);
    const loose = await uploadInto(user, undefined, 'notes.txt', small);
    const docs = await folder(user, 'docs');
    const second = await uploadInto(user, docs.id, 'notes.txt', Buffer.from('other notes'));

    const res = await user.raw('POST', '/api/files/archive', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileIds: [loose.id, second.id], folderIds: [photos.id] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain('download.zip');
    expect(res.headers.get('content-length')).toBeNull(); // streamed, not built first
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect([...entries.keys()].sort()).toEqual(
      [
        'notes.txt',
        'notes (1).txt',
        '照片/',
        '照片/big.bin',
        '照片/trip/',
        '照片/empty/',
        '照片/trip/a.jpg',
      ].sort(),
    );
    expect(entries.get('notes.txt')!.equals(small)).toBe(true);
    expect(entries.get('notes (1).txt')!.toString()).toBe('other notes');
    expect(entries.get('照片/big.bin')!.equals(big)).toBe(true);
    expect(entries.get('照片/trip/a.jpg')!.equals(inTrip)).toBe(true);
    // text is deflated; photos, video and other binaries are stored as they are
    expect(methods.get('notes.txt')).toBe(8);
    expect(methods.get('照片/big.bin')).toBe(0);
    expect(methods.get('照片/trip/a.jpg')).toBe(0);
  });

  it('one folder is named after it; another user’s ids are 404 before anything is sent', async () => {
    const user = await newUser(server.baseUrl);
    const stranger = await newUser(server.baseUrl);
    const album = await folder(user, 'album');
    await uploadInto(user, album.id, 'x.bin', randomBytes(100));
    const res = await user.raw('POST', '/api/files/archive', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileIds: [], folderIds: [album.id] }),
    });
    expect(res.headers.get('content-disposition')).toContain('album.zip');
    expect([...(await unzip(Buffer.from(await res.arrayBuffer()))).keys()]).toEqual([
      'album/',
      'album/x.bin',
    ]);
    const theirs = await uploadInto(stranger, undefined, 't.bin', randomBytes(10));
    expectError(
      await user.call('POST', '/api/files/archive', { fileIds: [theirs.id] }),
      404,
      'not_found',
    );
    expectError(
      await stranger.call('POST', '/api/files/archive', { fileIds: [], folderIds: [album.id] }),
      404,
      'not_found',
    );
    expectError(
      await user.call('POST', '/api/files/archive', { fileIds: [] }),
      400,
      'invalid_request',
    );
  });
});

describe('POST /api/files/archive from a browser form (field `selection`)', () => {
  it('takes the same JSON from a form field, names the zip as asked, and refuses a bad field with 400', async () => {
    const user = await newUser(server.baseUrl);
    const one = await uploadInto(user, undefined, 'one.txt', Buffer.from('first'));
    const two = await uploadInto(user, undefined, 'two.txt', Buffer.from('second'));
    const post = (selection: string) =>
      user.raw('POST', '/api/files/archive', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ selection }).toString(),
      });
    const res = await post(JSON.stringify({ fileIds: [one.id, two.id], name: '文件.zip' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('文件.zip'));
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(entries.get('one.txt')?.toString()).toBe('first');
    expect(entries.get('two.txt')?.toString()).toBe('second');
    for (const bad of ['{not json', JSON.stringify({ fileIds: 'x' }), '']) {
      const refused = await post(bad);
      expectError(
        { status: refused.status, body: await refused.json(), headers: refused.headers },
        400,
        'invalid_request',
      );
    }
  });
});

describe('GET /api/files/:id/content?disposition=inline (the viewer)', () => {
  it('inline for the viewer, attachment by default; the type comes from the extension', async () => {
    const user = await newUser(server.baseUrl);
    const pdf = await uploadInto(user, undefined, 'paper.pdf', Buffer.from('%PDF-1.4'));
    const inline = await user.raw('GET', `/api/files/${pdf.id}/content?disposition=inline`);
    expect(inline.headers.get('content-disposition')).toBe('inline; filename=paper.pdf');
    expect(inline.headers.get('content-type')).toBe('application/pdf');
    const attached = await user.raw('GET', `/api/files/${pdf.id}/content`);
    expect(attached.headers.get('content-disposition')).toMatch(/^attachment;/);
    expectError(await user.call('GET', `/api/files/${pdf.id}/content?disposition=window`), 400);
  });

  it('HTML and SVG never render in the app’s origin: shown as plain text', async () => {
    const user = await newUser(server.baseUrl);
    for (const name of ['page.html', 'logo.svg']) {
      const file = await uploadInto(
        user,
        undefined,
        name,
        Buffer.from('<script>alert(1)</script>'),
      );
      const res = await user.raw('GET', `/api/files/${file.id}/content?disposition=inline`);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
