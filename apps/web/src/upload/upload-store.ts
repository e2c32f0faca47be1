// Every upload of this page, keyed by upload id. Framework-free (zustand/vanilla): the engine
// writes it, components read it through zustand's useStore.
import { createStore } from 'zustand/vanilla';

export interface UploadFailure {
  /** A wire error code, a hashing code, or `unknown`; the UI translates the ones it knows. */
  code: string;
  message: string;
}

/** Where one file is in its flow; `bytesDone` counts hashed or sent bytes for that step. */
export type UploadState =
  | { status: 'queued' }
  | { status: 'hashing'; bytesDone: number; bytesPerSecond: number }
  | { status: 'checking' }
  | { status: 'instant' }
  | { status: 'uploading'; bytesDone: number; bytesPerSecond: number }
  | { status: 'verifying' }
  | { status: 'done'; instant: boolean }
  | { status: 'failed'; reason: UploadFailure };

export type UploadStatus = UploadState['status'];

export interface Upload {
  id: string;
  name: string;
  size: number;
  state: UploadState;
}

interface UploadStoreState {
  uploads: Record<string, Upload>;
  /** Ids in the order the files were added. */
  order: string[];
  add: (upload: Upload) => void;
  setState: (id: string, state: UploadState) => void;
  clearFinished: () => void;
}

export const isFinished = (state: UploadState) =>
  state.status === 'done' || state.status === 'failed';

export const uploadStore = createStore<UploadStoreState>()((set) => ({
  uploads: {},
  order: [],
  add: (upload) =>
    set((s) => ({
      uploads: { ...s.uploads, [upload.id]: upload },
      order: [...s.order, upload.id],
    })),
  setState: (id, state) =>
    set((s) => {
      const upload = s.uploads[id];
      return upload ? { uploads: { ...s.uploads, [id]: { ...upload, state } } } : s;
    }),
  clearFinished: () =>
    set((s) => {
      const order = s.order.filter((id) => !isFinished(s.uploads[id]!.state));
      return { order, uploads: Object.fromEntries(order.map((id) => [id, s.uploads[id]!])) };
    }),
}));
