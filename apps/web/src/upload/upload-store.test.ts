import { describe, expect, it } from 'vitest';
import { actionsFor, uploadStore, type Upload, type UploadState } from './upload-store.ts';

const upload = (id: string, status: 'queued' | 'verifying' = 'queued'): Upload => ({
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
    put([upload('a', 'verifying'), upload('c')]);
    expect(uploadStore.getState().order).toEqual(['c', 'b', 'a']); // the newest first
    expect(uploadStore.getState().uploads.a!.state.status).toBe('verifying');
    expect(uploadStore.getState().uploads.b).toBe(b); // untouched rows keep their identity
    remove(['a', 'c']);
    expect(uploadStore.getState().order).toEqual(['b']);
    expect(writes).toBe(3);
    unsubscribe();
  });
});

describe('actionsFor', () => {
  const failed = (retryable: boolean): UploadState => ({
    status: 'failed',
    reason: { code: 'x', message: 'x' },
    retryable,
  });
  it('offers what each state allows, and no Retry where retrying cannot help', () => {
    const uploading: UploadState = {
      status: 'uploading',
      bytesDone: 0,
      bytesPerSecond: 0,
      etaReady: false,
    };
    expect(actionsFor(uploading)).toEqual(['pause', 'cancel']);
    expect(actionsFor({ status: 'paused', bytesDone: 0 })).toEqual(['resume', 'cancel']);
    expect(actionsFor(failed(true))).toEqual(['retry', 'cancel']);
    expect(actionsFor(failed(false))).toEqual(['cancel']);
    expect(actionsFor({ status: 'queued' })).toEqual(['cancel']);
    expect(actionsFor({ status: 'verifying' })).toEqual([]);
    expect(actionsFor({ status: 'done', instant: false })).toEqual([]);
  });
});
