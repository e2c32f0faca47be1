// The entry point for the UI: queue files, run them in the order they came (two files at a time),
// with one chunk queue shared by all; pause, resume, retry, cancel by id. Store writes are throttled to ~10 a second however many files and chunks report.
import { filesQueryKey } from '../api/get-files.ts';
import { meQueryKey } from '../api/get-me.ts';
import { queryClient } from '../api/query-client.ts';
import { createChunkQueue } from './chunk-queue.ts';
import { FileTransfer } from './file-transfer.ts';
import { sweepStaleUploads } from './resume-memory.ts';
import { createSlots } from './slots.ts';
import { createThrottle } from './throttle.ts';
import { isFinished, uploadStore } from './upload-store.ts';

const PARALLEL_FILES = 2;
const STORE_WRITE_INTERVAL_MS = 100;

const transfers = new Map<string, FileTransfer>();
const stale = new Set<FileTransfer>();
let lastId = 0;

const throttle = createThrottle(() => {
  const snapshots = [...stale].filter((t) => transfers.has(t.id)).map((t) => t.snapshot());
  stale.clear();
  uploadStore.getState().put(snapshots);
}, STORE_WRITE_INTERVAL_MS);

const deps = {
  queue: createChunkQueue(),
  fileSlots: createSlots(PARALLEL_FILES),
  changed: (transfer: FileTransfer) => {
    stale.add(transfer);
    throttle.request();
  },
  landed: () => {
    void queryClient.invalidateQueries({ queryKey: filesQueryKey });
    void queryClient.invalidateQueries({ queryKey: meQueryKey });
  },
};

// Entries of uploads the server has long forgotten.
void sweepStaleUploads();

/** Uploads `files` into the folder `folderId` (null: the root). */
export function enqueueUploads(files: Iterable<File>, folderId: string | null): void {
  for (const file of files) {
    // A page-local counter: crypto.randomUUID needs a secure context, and ids never leave the page.
    const transfer = new FileTransfer(`upload-${++lastId}`, file, folderId ?? undefined, deps);
    transfers.set(transfer.id, transfer);
    transfer.start();
  }
}

export const pauseUpload = (id: string) => transfers.get(id)?.pause();
export const resumeUpload = (id: string) => transfers.get(id)?.resume();
export const retryUpload = (id: string) => transfers.get(id)?.retry();

export function cancelUpload(id: string): void {
  const transfer = transfers.get(id);
  if (!transfer) return;
  transfers.delete(id);
  uploadStore.getState().remove([id]);
  void transfer.cancel();
}

export function clearFinished(): void {
  const { uploads, order, remove } = uploadStore.getState();
  const finished = order.filter((id) => isFinished(uploads[id]!.state));
  for (const id of finished) transfers.delete(id);
  remove(finished);
}
