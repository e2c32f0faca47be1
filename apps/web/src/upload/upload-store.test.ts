import { describe, expect, it } from 'vitest';
import { actionsFor, uploadStore, type Upload } from './upload-store.ts';

const upload = (id: string, status: 'queued' | 'checking' = 'queued'): Upload => ({
  id,
  name: `${id}.bin`,
  size: 1,
  state: { status } as Upload['state'],
});

describe('uploadStore', () => {
  it('adds new snapshots in order, replaces known ones, removes by id, in single writes', () => {
    let writes = 0;
    const unsubscribe = uploadStore.subscribe(() => (writes += 1));
    const { put, remove } = uploadStore.getState();
    put([upload('a'), upload('b')]);
    const b = uploadStore.getState().uploads.b;
    put([upload('a', 'checking'), upload('c')]);
    expect(uploadStore.getState().order).toEqual(['a', 'b', 'c']);
    expect(uploadStore.getState().uploads.a!.state.status).toBe('checking');
    expect(uploadStore.getState().uploads.b).toBe(b); // untouched rows keep their identity
    remove(['a', 'c']);
    expect(uploadStore.getState().order).toEqual(['b']);
    expect(writes).toBe(3);
    unsubscribe();
  });
});

describe('actionsFor', () => {
  it('offers what each state allows', () => {
    expect(actionsFor('uploading')).toEqual(['pause', 'cancel']);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel']);
    expect(actionsFor('failed')).toEqual(['retry', 'cancel']);
    expect(actionsFor('hashing')).toEqual(['cancel']);
    expect(actionsFor('verifying')).toEqual([]);
    expect(actionsFor('done')).toEqual([]);
  });
});
