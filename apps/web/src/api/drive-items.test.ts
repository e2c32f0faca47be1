import { afterEach, describe, expect, it, vi } from 'vitest';
import { moveItems, restoreItems, settle, trashItems } from './drive-items.ts';

interface Sent {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * A fetch that records each request and answers it with `answer(request)` a moment later;
 * `waiting.most` is the most requests that were waiting for their answer at the same time.
 */
const waiting = { now: 0, most: 0 };
function fakeFetch(answer: (sent: Sent) => Response) {
  const sent: Sent[] = [];
  Object.assign(waiting, { now: 0, most: 0 });
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const request = {
      method: init.method ?? 'GET',
      path,
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    };
    sent.push(request);
    waiting.most = Math.max(waiting.most, ++waiting.now);
    await new Promise((resolve) => setTimeout(resolve, 1));
    waiting.now -= 1;
    return answer(request);
  });
  return sent;
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
const noContent = () => new Response(null, { status: 204 });
const error = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: code } }), { status });

/** The drive as the fake server knows it: where each item is and its name. */
const where: Record<string, string | null> = { f1: 'home', d1: null, d2: null };
function driveServer({ method, path }: Sent): Response {
  const id = path.split('/')[3]!;
  if (path.startsWith('/api/files/'))
    return json({ file: { id, name: `file ${id}`, folderId: where[id] } });
  if (method === 'GET')
    return json({ folder: { id, name: `folder ${id}`, parentId: where[id] }, path: [] });
  return json({ folder: { id, name: `folder ${id}`, parentId: where[id] } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('moveItems', () => {
  it('moves files and folders one after the other, noting where each came from', async () => {
    const sent = fakeFetch(driveServer);
    const moved = settle(
      await moveItems([
        { ref: { kind: 'file', id: 'f1' }, folderId: 'target' },
        { ref: { kind: 'folder', id: 'd1' }, folderId: 'target' },
      ]),
    );
    expect(sent).toEqual([
      { method: 'GET', path: '/api/files/f1', body: undefined },
      { method: 'PATCH', path: '/api/files/f1', body: { folderId: 'target' } },
      { method: 'GET', path: '/api/folders/d1', body: undefined },
      { method: 'PATCH', path: '/api/folders/d1', body: { parentId: 'target' } },
    ]);
    // One at a time: two moves into one folder must not race for the same free name.
    expect(waiting.most).toBe(1);
    // The undo: each back where it was, with the name it has now for the toast.
    expect(moved).toEqual([
      { ref: { kind: 'file', id: 'f1' }, folderId: 'home', name: 'file f1' },
      { ref: { kind: 'folder', id: 'd1' }, folderId: null, name: 'folder d1' },
    ]);
  });

  it('sends null to move into the root', async () => {
    const sent = fakeFetch(driveServer);
    await moveItems([{ ref: { kind: 'folder', id: 'd1' }, folderId: null }]);
    expect(sent[1]!.body).toEqual({ parentId: null });
  });

  it('goes on past a refused item; reports what went and the first refusal', async () => {
    const sent = fakeFetch((r) =>
      r.method === 'PATCH' && r.path.includes('/folders/')
        ? error(400, 'invalid_move')
        : driveServer(r),
    );
    const outcome = await moveItems(
      ['d1', 'd2'].map((id) => ({ ref: { kind: 'folder' as const, id }, folderId: 'd1' })),
    );
    expect(outcome.done).toEqual([]);
    expect(outcome.failure).toMatchObject({ status: 400, code: 'invalid_move' });
    expect(() => settle(outcome)).toThrow('invalid_move');
    expect(sent.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      '/api/folders/d1',
      '/api/folders/d2',
    ]);
  });
});

describe('trashItems and restoreItems', () => {
  it('trashes each file and folder with its own route', async () => {
    const sent = fakeFetch(noContent);
    const outcome = await trashItems([
      { kind: 'folder', id: 'd1', name: 'Docs' },
      { kind: 'file', id: 'f 1', name: 'a.txt' },
    ]);
    expect(sent).toEqual([
      { method: 'DELETE', path: '/api/folders/d1', body: undefined },
      { method: 'DELETE', path: '/api/files/f%201', body: undefined },
    ]);
    expect(outcome.done.map((r) => r.name)).toEqual(['Docs', 'a.txt']);
  });

  it('an undo restores only what was trashed', async () => {
    const sent = fakeFetch((r) =>
      r.path.endsWith('/gone') ? error(404, 'not_found') : noContent(),
    );
    const trashed = await trashItems([
      { kind: 'file', id: 'f1', name: 'a' },
      { kind: 'file', id: 'gone', name: 'b' },
    ]);
    expect(trashed.failure).toMatchObject({ code: 'not_found' });
    sent.length = 0;
    await restoreItems(trashed.done);
    expect(sent).toEqual([{ method: 'POST', path: '/api/trash/f1/restore', body: undefined }]);
  });
});
