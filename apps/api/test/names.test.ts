// Issue 10, item 12: every name a user gives is stored in NFC, refused (400 invalid_name) when it
// holds control, format or bidirectional control characters, and limited to 255 UTF-8 bytes; a
// " (1)" suffix never pushes a name past that.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type Client, expectError, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const bytesOf = (name: string) => Buffer.byteLength(name, 'utf8');
const CJK_255 = '汉'.repeat(85); // 3 bytes each: 255 bytes in 85 characters
const CJK_256 = `${CJK_255}a`;

const FORBIDDEN: [label: string, name: string][] = [
  ['a right-to-left override', 'invoice\u202Egpj.exe'],
  ['a left-to-right embedding', 'a\u202Ab'],
  ['a first-strong isolate', 'a\u2068b'],
  ['a pop directional isolate', 'a\u2069b'],
  ['a zero-width space', 'a\u200Bb'],
  ['a zero-width joiner', 'a\u200Db'],
  ['a right-to-left mark', 'a\u200Fb'],
  ['a byte order mark', '\uFEFFab'],
  ['a line separator', 'a\u2028b'],
  ['a paragraph separator', 'a\u2029b'],
  ['a bell (C0 control)', 'a\u0007b'],
  ['a tab', 'a\tb'],
  ['a DEL', 'a\u007Fb'],
  ['a C1 control', 'a\u0085b'],
  ['a lone surrogate', 'a\uD800b'],
];

const LONE_SURROGATE = /\p{Cs}/u;

/** A form upload whose filename arrives as browsers send it (FormData: raw UTF-8, busboy). */
async function formUpload(user: Client, name: string, folderId?: string) {
  const form = new FormData();
  form.append('file', new Blob([randomBytes(64)]), name);
  const query = folderId ? `?folderId=${folderId}` : '';
  const res = await user.raw('POST', `/api/files${query}`, { body: form });
  const answer: Answer = { status: res.status, body: await res.json(), headers: res.headers };
  return { answer, stored: answer.body.file?.name as string | undefined };
}

/** A form upload whose filename arrives RFC 5987-encoded (`filename*=UTF-8''…`), any character. */
async function encodedFormUpload(user: Client, name: string) {
  const boundary = `----names${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
        `filename*=UTF-8''${encodeURIComponent(name)}\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    randomBytes(64),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await user.raw('POST', '/api/files', {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const answer: Answer = { status: res.status, body: await res.json(), headers: res.headers };
  return { answer, stored: answer.body.file?.name as string | undefined };
}

const fileNamed = async (user: Client, name = `seed-${randomBytes(4).toString('hex')}.bin`) =>
  (await formUpload(user, name)).answer.body.file as { id: string; name: string };

const folderNamed = async (user: Client, name: string) =>
  (await user.call('POST', '/api/folders', { name })).body.folder as { id: string; name: string };

/** The zip's download name, from `filename*=UTF-8''…`. */
const downloadName = (answer: Answer) => {
  const header = answer.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  return encoded === undefined ? undefined : decodeURIComponent(encoded);
};

interface NamePath {
  label: string;
  /** Whether this path can carry `name` at all (default: JSON carries anything). */
  carries?: (name: string) => boolean;
  /** Gives `name` where this path takes one: the answer, and the name it stored or used. */
  send: (user: Client, name: string) => Promise<{ answer: Answer; stored?: string }>;
}

const PATHS: NamePath[] = [
  {
    label: 'form upload, filename="…" (POST /api/files)',
    // A raw MIME header holds no other control characters (busboy: 400 invalid_request), and
    // FormData sends a lone surrogate as U+FFFD.
    carries: (name) =>
      ![...name].some((char) => (char < ' ' && char !== '\t') || char === '\u007F') &&
      !LONE_SURROGATE.test(name),
    send: formUpload,
  },
  {
    label: "form upload, filename*=UTF-8''… (POST /api/files)",
    carries: (name) => !LONE_SURROGATE.test(name),
    send: encodedFormUpload,
  },
  {
    label: 'chunked upload (POST /api/uploads → complete)',
    send: async (user, name) => {
      const bytes = randomBytes(1000);
      const body = { name, size: bytes.length, sha1: sha1Of(bytes) };
      const init = await user.call('POST', '/api/uploads', body);
      if (init.status !== 201) return { answer: init };
      expect((await user.putChunk(init.body.uploadId, 0, bytes)).status).toBe(204);
      const done = await user.call('POST', `/api/uploads/${init.body.uploadId}/complete`);
      return { answer: done, stored: done.body.file?.name };
    },
  },
  {
    label: 'instant upload (POST /api/files/instant)',
    send: async (user, name) => {
      const bytes = randomBytes(5000);
      const form = new FormData();
      form.append('file', new Blob([bytes]), `content-${sha1Of(bytes).slice(0, 8)}.bin`);
      expect((await user.raw('POST', '/api/files', { body: form })).status).toBe(201);
      const asked = await user.call('POST', '/api/files/instant', {
        name,
        size: bytes.length,
        sha1: sha1Of(bytes),
      });
      if (asked.status !== 200) return { answer: asked };
      const proved = await user.instantUpload(name, bytes);
      return { answer: proved, stored: proved.body.file?.name };
    },
  },
  {
    label: 'file rename (PATCH /api/files/:id)',
    send: async (user, name) => {
      const file = await fileNamed(user);
      const answer = await user.call('PATCH', `/api/files/${file.id}`, { name });
      return { answer, stored: answer.body.file?.name };
    },
  },
  {
    label: 'file move with a new name (PATCH /api/files/:id {name, folderId})',
    send: async (user, name) => {
      const file = await fileNamed(user);
      const folder = await folderNamed(user, `to-${randomBytes(4).toString('hex')}`);
      const answer = await user.call('PATCH', `/api/files/${file.id}`, {
        name,
        folderId: folder.id,
      });
      return { answer, stored: answer.body.file?.name };
    },
  },
  {
    label: 'folder create (POST /api/folders)',
    send: async (user, name) => {
      const answer = await user.call('POST', '/api/folders', { name });
      return { answer, stored: answer.body.folder?.name };
    },
  },
  {
    label: 'folder rename (PATCH /api/folders/:id)',
    send: async (user, name) => {
      const folder = await folderNamed(user, `from-${randomBytes(4).toString('hex')}`);
      const answer = await user.call('PATCH', `/api/folders/${folder.id}`, { name });
      return { answer, stored: answer.body.folder?.name };
    },
  },
  {
    label: 'archive name (POST /api/files/archive {name})',
    send: async (user, name) => {
      const file = await fileNamed(user);
      const answer = await user.call('POST', '/api/files/archive', { fileIds: [file.id], name });
      return { answer, stored: answer.status === 200 ? downloadName(answer) : undefined };
    },
  },
];

// One user per path: each test below uses names no other test of that path uses.
const users = new Map<string, Promise<Client>>();
const userFor = (path: NamePath) => {
  if (!users.has(path.label)) users.set(path.label, newUser(server.baseUrl));
  return users.get(path.label)!;
};

describe.each(PATHS)('$label', (path) => {
  it('stores an NFD name in NFC', async () => {
    const user = await userFor(path);
    const decomposed = 'Cafe\u0301 re\u0301sume\u0301 한글.txt'.normalize('NFD');
    const { answer, stored } = await path.send(user, decomposed);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    expect(stored).toBe(decomposed.normalize('NFC'));
    expect(stored).not.toBe(decomposed);
  });

  it.each(FORBIDDEN.filter(([, name]) => path.carries?.(name) ?? true))(
    'refuses a name with %s: 400 invalid_name',
    async (_label, name) => {
      const user = await userFor(path);
      expectError((await path.send(user, name)).answer, 400, 'invalid_name');
    },
  );

  it('takes 255 UTF-8 bytes (85 CJK characters) and refuses 256', async () => {
    const user = await userFor(path);
    expectError((await path.send(user, CJK_256)).answer, 400, 'invalid_name');
    const { answer, stored } = await path.send(user, CJK_255);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    expect(stored).toBe(CJK_255);
  });
});

describe('a " (1)" suffix on a 255-byte name', () => {
  // 83 CJK characters + "ab.txt" = 249 + 2 + 4 = 255 bytes. With " (1)" the stem may keep 247 of
  // its 251 bytes: 82 whole CJK characters (246), never part of the 83rd.
  const FULL = `${'汉'.repeat(83)}ab.txt`;
  const suffixed = (n: number) => `${'汉'.repeat(82)} (${n}).txt`;

  it('form uploads: the stem is cut before the suffix at a code point boundary', async () => {
    const user = await newUser(server.baseUrl);
    expect(bytesOf(FULL)).toBe(255);
    expect((await formUpload(user, FULL)).stored).toBe(FULL);
    const second = (await formUpload(user, FULL)).stored!;
    expect(second).toBe(suffixed(1));
    expect(bytesOf(second)).toBe(254);
    // The third finds " (1)" taken although it does not start with the whole stem.
    expect((await formUpload(user, FULL)).stored).toBe(suffixed(2));
  });

  it('folders: the suffix has no extension to go before', async () => {
    const user = await newUser(server.baseUrl);
    expect((await folderNamed(user, CJK_255)).name).toBe(CJK_255);
    const second = (await folderNamed(user, CJK_255)).name;
    expect(second).toBe(`${'汉'.repeat(83)} (1)`);
    expect(bytesOf(second)).toBe(253);
  });

  it('a move into a folder where the name is taken', async () => {
    const user = await newUser(server.baseUrl);
    const target = await folderNamed(user, 'target');
    await formUpload(user, FULL, target.id);
    const moving = (await formUpload(user, FULL)).answer.body.file;
    const moved = await user.call('PATCH', `/api/files/${moving.id}`, { folderId: target.id });
    expect(moved.status).toBe(200);
    expect(moved.body.file.name).toBe(suffixed(1));
  });

  it('save to drive keeps the stored name, suffixed within 255 bytes', async () => {
    const owner = await newUser(server.baseUrl);
    const saver = await newUser(server.baseUrl);
    const file = (await formUpload(owner, FULL)).answer.body.file;
    const { token } = (await owner.call('POST', '/api/shares', { fileId: file.id })).body.share;
    const saved = [];
    for (let i = 0; i < 2; i++)
      saved.push((await saver.call('POST', `/api/shares/${token}/save`)).body.file?.name);
    expect(saved).toEqual([FULL, suffixed(1)]);
  });

  it('an archive of one file so named: its ".zip" name fits in 255 bytes too', async () => {
    const user = await newUser(server.baseUrl);
    const file = (await formUpload(user, FULL)).answer.body.file;
    const answer = await user.call('POST', '/api/files/archive', { fileIds: [file.id] });
    expect(answer.status).toBe(200);
    expect(downloadName(answer)).toBe(`${'汉'.repeat(83)}ab.zip`);
  });
});

describe('search', () => {
  it('finds an NFC name by its NFD spelling', async () => {
    const user = await newUser(server.baseUrl);
    await formUpload(user, 'résumé.pdf');
    const query = encodeURIComponent('résumé'.normalize('NFD'));
    const found = await user.call('GET', `/api/files?q=${query}`);
    expect(found.body.items.map((item: { name: string }) => item.name)).toEqual(['résumé.pdf']);
  });
});
