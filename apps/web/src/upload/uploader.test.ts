import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { rememberUpload, recallUpload } from './resume-memory.ts';
import type { FlowContext } from './upload-flow.ts';
import { uploadStore } from './upload-store.ts';

// The server and the flow are replaced; the uploader, the transfers and IndexedDB (fake) are real.
const deleted: string[] = [];
vi.mock('../api/cancel-upload.ts', () => ({
  cancelUpload: async (id: string) => void deleted.push(id),
}));
const flows: { name: string; ctx: FlowContext; finish: () => void }[] = [];
vi.mock('./upload-flow.ts', () => ({
  uploadFile: (file: File, ctx: FlowContext) =>
    new Promise<void>((resolve) => {
      ctx.emit({
        type: 'opened',
        uploadId: ctx.uploadId ?? 'new',
        layout: { size: file.size, chunkSize: 4, chunkCount: 1 },
        held: [0],
      });
      flows.push({ name: file.name, ctx, finish: resolve });
    }),
}));
let picked: File | undefined;
let allowed: File | undefined;
vi.mock('./file-handles.ts', () => ({
  pickOneFile: async () => picked,
  fileFromHandle: async () => allowed,
}));

// Left by an earlier visit: two unfinished uploads (the page's window is a bare EventTarget).
const a = new File(['aaaa'], 'a.bin', { lastModified: 1 });
const b = new File(['bb'], 'b.bin', { lastModified: 2 });
const c = new File(['ccc'], 'c.bin', { lastModified: 3 });
await rememberUpload(a, { uploadId: 'ua', createdAt: Date.now() - 3, folderId: 'f1' });
await rememberUpload(b, { uploadId: 'ub', createdAt: Date.now() - 2 });
// Picked with a handle (a plain object stands in: IndexedDB keeps it by structured clone).
const handle = { kind: 'file', name: 'c.bin' } as unknown as FileSystemFileHandle;
await rememberUpload(c, { uploadId: 'uc', createdAt: Date.now() - 1, handle });
const d = new File(['dddd'], 'd.bin', { lastModified: 4 });
await rememberUpload(d, { uploadId: 'ud', createdAt: Date.now(), handle });
const page = new EventTarget();
vi.stubGlobal('window', page);
const uploader = await import('./uploader.ts');

const rows = () => {
  const { order, uploads } = uploadStore.getState();
  return order.map((id) => uploads[id]!);
};
const rowOf = (name: string) => rows().find((r) => r.name === name)!;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

class BeforeUnload extends Event {
  constructor() {
    super('beforeunload', { cancelable: true });
    // Writable, as on a browser's BeforeUnloadEvent (Node's Event has a read-only one).
    Object.defineProperty(this, 'returnValue', { value: true, writable: true });
  }
}

describe('uploader after a reload', () => {
  it('lists the unfinished uploads of an earlier visit, to pick again or discard', async () => {
    await vi.waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows().map((r) => r.name)).toEqual(['d.bin', 'c.bin', 'b.bin', 'a.bin']); // newest first
    expect(rowOf('a.bin')).toMatchObject({
      size: 4,
      uploadId: 'ua',
      state: { status: 'interrupted', canReopen: false, wrongFile: false },
    });
  });

  it('discard deletes the upload on the server and forgets it', async () => {
    uploader.discardUpload(rowOf('b.bin').id);
    await settle();
    expect(deleted).toEqual(['ub']);
    expect(rows().map((r) => r.name)).toEqual(['d.bin', 'c.bin', 'a.bin']);
    expect(await recallUpload(b)).toBeUndefined();
  });

  it('refuses another file, and resumes with the same one into its folder', async () => {
    const id = rowOf('a.bin').id;
    picked = new File(['zzzz'], 'a.bin', { lastModified: 99 });
    await uploader.reopenUpload(id);
    expect(rowOf('a.bin').state).toMatchObject({ status: 'interrupted', wrongFile: true });
    expect(flows).toEqual([]);

    picked = new File(['aaaa'], 'a.bin', { lastModified: 1 });
    await uploader.reopenUpload(id);
    await settle();
    expect(flows.map((f) => [f.name, f.ctx.folderId])).toEqual([['a.bin', 'f1']]);
    expect(rowOf('a.bin')).toMatchObject({ id, state: { status: 'uploading' } });
  });

  it('with a handle kept: one permission click reads the file again and resumes; a refusal offers picking', async () => {
    expect(rowOf('c.bin').state).toMatchObject({ status: 'interrupted', canReopen: true });
    allowed = new File(['ccc'], 'c.bin', { lastModified: 3 });
    await uploader.reopenUpload(rowOf('c.bin').id);
    await settle();
    expect(flows.map((f) => [f.name, f.ctx.handle])).toEqual([
      ['a.bin', undefined],
      ['c.bin', handle], // remembered again with the next upload it opens
    ]);

    allowed = undefined; // the user refuses, or the file has moved
    await uploader.reopenUpload(rowOf('d.bin').id);
    expect(rowOf('d.bin').state).toMatchObject({ status: 'interrupted', canReopen: false });
    expect(flows).toHaveLength(2);
  });

  it('asks before leaving the page while an upload runs, not once none does', async () => {
    const leaving = new BeforeUnload();
    page.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true);

    for (const flow of flows) {
      flow.ctx.emit({ type: 'done', instant: false });
      flow.finish();
    }
    await settle();
    const again = new BeforeUnload();
    page.dispatchEvent(again);
    expect(again.defaultPrevented).toBe(false);
  });
});
