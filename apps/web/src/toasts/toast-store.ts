// Short notes at the bottom of the page ("Moved to the trash · Undo"). Each goes by itself after a
// few seconds; its Undo runs at most once, and says whether it worked. Framework-free
// (zustand/vanilla): the drive's actions show toasts, components/toasts.tsx draws them.
import { createStore } from 'zustand/vanilla';
import type { MessageKey } from '../i18n/messages.ts';
import type { MessageParams } from '../i18n/translate.ts';

/** How long a toast stays: long enough to read it and reach its Undo. */
export const TOAST_MS = 8_000;
/** How long "Undone" stays once the undo has worked. */
export const UNDONE_MS = 3_000;

export type ToastStatus = 'shown' | 'undoing' | 'undone' | 'undoFailed';

export interface Toast {
  id: number;
  message: MessageKey;
  params?: MessageParams;
  status: ToastStatus;
  canUndo: boolean;
  /** Why the undo failed. */
  error?: unknown;
}

export interface ToastInput {
  message: MessageKey;
  params?: MessageParams;
  /** Puts things back as they were; a rejection is shown on the toast. */
  undo?: () => Promise<unknown>;
}

export function createToasts(lifetimeMs = TOAST_MS) {
  const store = createStore<{ toasts: Toast[] }>(() => ({ toasts: [] }));
  const undoers = new Map<number, () => Promise<unknown>>();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let lastId = 0;

  const update = (id: number, change: Partial<Toast>) =>
    store.setState(({ toasts }) => ({
      toasts: toasts.map((toast) => (toast.id === id ? { ...toast, ...change } : toast)),
    }));

  const expireIn = (id: number, ms: number) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => dismiss(id), ms),
    );
  };

  function dismiss(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    undoers.delete(id);
    store.setState(({ toasts }) => ({ toasts: toasts.filter((toast) => toast.id !== id) }));
  }

  function show({ message, params, undo }: ToastInput): number {
    const id = ++lastId;
    if (undo) undoers.set(id, undo);
    store.setState(({ toasts }) => ({
      toasts: [...toasts, { id, message, params, status: 'shown', canUndo: undo !== undefined }],
    }));
    expireIn(id, lifetimeMs);
    return id;
  }

  /** Runs the toast's undo, once: later clicks, and clicks after it went, do nothing. */
  async function undo(id: number): Promise<void> {
    const run = undoers.get(id);
    if (!run) return;
    undoers.delete(id);
    clearTimeout(timers.get(id)); // it stays while the undo runs
    update(id, { status: 'undoing' });
    try {
      await run();
      update(id, { status: 'undone' });
      expireIn(id, UNDONE_MS);
    } catch (error) {
      update(id, { status: 'undoFailed', error });
      expireIn(id, lifetimeMs);
    }
  }

  return { store, show, undo, dismiss };
}

/** The page's toasts. */
export const toasts = createToasts();
