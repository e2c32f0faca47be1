import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteItems, moveItems } from './drive-items.ts';

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

const ok = () => new Response(JSON.stringify({}), { status: 200 });
const noContent = () => new Response(null, { status: 204 });
const error = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: code } }), { status });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('moveItems', () => {
  it('moves files and folders one after the other with their own routes', async () => {
    const sent = fakeFetch(ok);
    await moveItems({
      refs: [
        { kind: 'file', id: 'f1' },
        { kind: 'folder', id: 'd1' },
      ],
      folderId: 'target',
    });
    expect(sent).toEqual([
      { method: 'PATCH', path: '/api/files/f1', body: { folderId: 'target' } },
      { method: 'PATCH', path: '/api/folders/d1', body: { parentId: 'target' } },
    ]);
    // One at a time: two moves into one folder must not race for the same free name.
    expect(waiting.most).toBe(1);
  });

  it('sends null to move into the root', async () => {
    const sent = fakeFetch(ok);
    await moveItems({ refs: [{ kind: 'folder', id: 'd1' }], folderId: null });
    expect(sent[0]!.body).toEqual({ parentId: null });
  });

  it('goes on past a refused item and then reports the first refusal', async () => {
    const sent = fakeFetch((r) =>
      r.path.includes('/folders/') ? error(400, 'invalid_move') : ok(),
    );
    const moving = moveItems({
      refs: [
        { kind: 'folder', id: 'd1' },
        { kind: 'folder', id: 'd2' },
        { kind: 'file', id: 'f1' },
      ],
      folderId: 'd1',
    });
    await expect(moving).rejects.toMatchObject({ status: 400, code: 'invalid_move' });
    expect(sent.map((r) => r.path)).toEqual([
      '/api/folders/d1',
      '/api/folders/d2',
      '/api/files/f1',
    ]);
  });
});

describe('deleteItems', () => {
  it('deletes each file and folder', async () => {
    const sent = fakeFetch(noContent);
    await deleteItems([
      { kind: 'folder', id: 'd1' },
      { kind: 'file', id: 'f 1' },
    ]);
    expect(sent).toEqual([
      { method: 'DELETE', path: '/api/folders/d1', body: undefined },
      { method: 'DELETE', path: '/api/files/f%201', body: undefined },
    ]);
  });
});
