import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createToasts, TOAST_MS, UNDONE_MS } from './toast-store.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const statuses = (t: ReturnType<typeof createToasts>) =>
  t.store.getState().toasts.map((toast) => [toast.message, toast.status]);

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('toasts', () => {
  it('each toast goes by itself after its lifetime, the others stay', async () => {
    const t = createToasts();
    t.show({ message: 'toast.trashed', params: { name: 'a' } });
    await vi.advanceTimersByTimeAsync(TOAST_MS / 2);
    t.show({ message: 'toast.moved', params: { name: 'b' } });
    await vi.advanceTimersByTimeAsync(TOAST_MS / 2);
    expect(statuses(t)).toEqual([['toast.moved', 'shown']]);
    await vi.advanceTimersByTimeAsync(TOAST_MS / 2);
    expect(statuses(t)).toEqual([]);
  });

  it('Undo runs once however often it is clicked, stays while it runs, then says "undone"', async () => {
    const t = createToasts();
    const work = deferred();
    const undo = vi.fn(() => work.promise);
    const id = t.show({ message: 'toast.trashed', undo });
    const first = t.undo(id);
    void t.undo(id);
    expect(undo).toHaveBeenCalledTimes(1);
    expect(statuses(t)).toEqual([['toast.trashed', 'undoing']]);
    await vi.advanceTimersByTimeAsync(TOAST_MS * 2); // a slow undo: the toast does not expire
    expect(statuses(t)).toEqual([['toast.trashed', 'undoing']]);
    work.resolve();
    await first;
    expect(statuses(t)).toEqual([['toast.trashed', 'undone']]);
    await vi.advanceTimersByTimeAsync(UNDONE_MS);
    expect(statuses(t)).toEqual([]);
    await t.undo(id);
    expect(undo).toHaveBeenCalledTimes(1);
  });

  it('a failed undo keeps the toast with the reason, and cannot be run again', async () => {
    const t = createToasts();
    const reason = new Error('gone');
    const undo = vi.fn(() => Promise.reject(reason));
    const id = t.show({ message: 'toast.moved', undo });
    await t.undo(id);
    expect(t.store.getState().toasts).toMatchObject([{ status: 'undoFailed', error: reason }]);
    await t.undo(id);
    expect(undo).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(TOAST_MS);
    expect(statuses(t)).toEqual([]);
  });

  it('after it has gone (timeout or dismiss), Undo does nothing', async () => {
    const t = createToasts();
    const undo = vi.fn(() => Promise.resolve());
    const timedOut = t.show({ message: 'toast.trashed', undo });
    const dismissed = t.show({ message: 'toast.moved', undo });
    t.dismiss(dismissed);
    await vi.advanceTimersByTimeAsync(TOAST_MS);
    await t.undo(timedOut);
    await t.undo(dismissed);
    expect(undo).not.toHaveBeenCalled();
    expect(t.store.getState().toasts[0]?.canUndo).toBeUndefined();
  });

  it('a toast without an undo offers none', () => {
    const t = createToasts();
    t.show({ message: 'toast.trashed' });
    expect(t.store.getState().toasts[0]?.canUndo).toBe(false);
  });
});
