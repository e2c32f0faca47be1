// Every upload of this page, keyed by a page-local id, as snapshots for the UI. Framework-free
// (zustand/vanilla): the engine (uploader.ts) writes whole snapshots at most ~10 times a second;
// components read them through zustand's useStore.
import { createStore } from 'zustand/vanilla';

export interface UploadFailure {
  /** A wire error code, a hashing code, or `unknown`; the UI translates the ones it knows. */
  code: string;
  message: string;
}

/**
 * Where one file is. `bytesDone` is what the server holds (or has been sent, while sending);
 * `etaReady` says the speed has been measured long enough for a time left to mean something.
 */
export type UploadState =
  | { status: 'queued' }
  | { status: 'uploading'; bytesDone: number; bytesPerSecond: number; etaReady: boolean }
  | { status: 'paused'; bytesDone: number }
  | { status: 'instant' }
  | { status: 'verifying' }
  | { status: 'done'; instant: boolean }
  | { status: 'failed'; reason: UploadFailure; retryable: boolean }
  /**
   * Left unfinished by an earlier visit (a reload, a closed tab): `canReopen` when the browser
   * kept a handle to the file, else the user picks it again; `wrongFile` after another was picked.
   */
  | { status: 'interrupted'; canReopen: boolean; wrongFile: boolean };

export type UploadStatus = UploadState['status'];

/** One chunk's state; a `sending` chunk also has its own progress in `ChunkView.progress`. */
export type ChunkState = 'waiting' | 'sending' | 'done' | 'retrying';

export interface ChunkView {
  states: readonly ChunkState[];
  /** Share (0–1) of each sending chunk sent so far, by chunk index. */
  progress: Readonly<Record<number, number>>;
}

export interface Upload {
  id: string;
  name: string;
  size: number;
  state: UploadState;
  /** The server's upload id, once there is one. */
  uploadId?: string;
  /** Every chunk's state, once the chunk layout is known. */
  chunks?: ChunkView;
}

export type UploadAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'reopen' | 'discard';

/** What the user may do with an upload in each state. */
export function actionsFor(state: UploadState): UploadAction[] {
  switch (state.status) {
    case 'queued':
      return ['cancel'];
    case 'uploading':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
      // No Retry where trying again cannot help (quota, too large, a forbidden name).
      return state.retryable ? ['retry', 'cancel'] : ['cancel'];
    case 'interrupted':
      return ['reopen', 'discard'];
    default:
      return []; // instant, verifying: a moment's work, past the point of no return; done
  }
}

export const isFinished = (state: UploadState) =>
  state.status === 'done' || state.status === 'failed';

interface UploadStoreState {
  uploads: Record<string, Upload>;
  /** Ids, the newest first. */
  order: string[];
  /** Adds new uploads and replaces the snapshots of known ones, in one write. */
  put: (snapshots: Upload[]) => void;
  remove: (ids: string[]) => void;
}

export const uploadStore = createStore<UploadStoreState>()((set) => ({
  uploads: {},
  order: [],
  put: (snapshots) =>
    set((s) => {
      const uploads = { ...s.uploads };
      const added = snapshots.filter((u) => !(u.id in uploads)).map((u) => u.id);
      for (const upload of snapshots) uploads[upload.id] = upload;
      return { uploads, order: added.length > 0 ? [...added.reverse(), ...s.order] : s.order };
    }),
  remove: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      const order = s.order.filter((id) => !gone.has(id));
      return { order, uploads: Object.fromEntries(order.map((id) => [id, s.uploads[id]!])) };
    }),
}));
