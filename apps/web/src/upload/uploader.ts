// The entry point for the UI: queue files, run them in the order they came (two files at a time),
// with one chunk queue shared by all; pause, resume, retry, cancel by id. Store writes are
// throttled to ~10 a second however many files and chunks report. Uploads an earlier visit left
// unfinished are listed at start-up, to resume (after one permission click where the browser kept
// the file's handle, else by picking the file again) or to discard; leaving the page while uploads
// run asks first.
import { cancelUpload as deleteUpload } from '../api/cancel-upload.ts';
import { filesQueryKey } from '../api/get-files.ts';
import { meQueryKey } from '../api/get-me.ts';
import { versionsQueryKey } from '../api/get-versions.ts';
import { queryClient } from '../api/query-client.ts';
import { createChunkQueue } from './chunk-queue.ts';
import type { OnConflict } from '@filestore/contract';
import { fileFromHandle, type PickedFile, pickOneFile } from './file-handles.ts';
import { FileTransfer } from './file-transfer.ts';
import { forgetUpload, type InterruptedUpload, recallInterrupted } from './resume-memory.ts';
import { createSlots } from './slots.ts';
import { createThrottle } from './throttle.ts';
import { isFinished, type Upload, uploadStore } from './upload-store.ts';

const PARALLEL_FILES = 2;
const STORE_WRITE_INTERVAL_MS = 100;

const transfers = new Map<string, FileTransfer>();
const interrupted = new Map<string, InterruptedUpload>();
const stale = new Set<FileTransfer>();
let lastId = 0;
// A page-local counter: crypto.randomUUID needs a secure context, and ids never leave the page.
const nextId = () => `upload-${++lastId}`;

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
    void queryClient.invalidateQueries({ queryKey: versionsQueryKey }); // a replace adds one
  },
};

/** A file to upload, and what the server does if its name is taken (conflicts.ts). */
export type UploadRequest = PickedFile & { onConflict?: OnConflict };

function startTransfer(id: string, picked: UploadRequest, folderId: string | undefined): void {
  const transfer = new FileTransfer(id, picked, folderId, deps);
  transfers.set(id, transfer);
  transfer.start();
}

/** Uploads `files` into the folder `folderId` (null: the root). */
export function enqueueUploads(
  files: Iterable<File | UploadRequest>,
  folderId: string | null,
): void {
  for (const item of files) {
    startTransfer(nextId(), item instanceof File ? { file: item } : item, folderId ?? undefined);
  }
}

export const pauseUpload = (id: string) => transfers.get(id)?.pause();
export const resumeUpload = (id: string) => transfers.get(id)?.resume();
export const retryUpload = (id: string) => transfers.get(id)?.retry();

export function cancelUpload(id: string): void {
  const transfer = transfers.get(id);
  if (!transfer) return discardUpload(id);
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

// --- after a reload -------------------------------------------------------------------------------

const interruptedRow = (id: string, entry: InterruptedUpload, wrongFile = false): Upload => ({
  id,
  name: entry.name,
  size: entry.size,
  uploadId: entry.uploadId,
  state: { status: 'interrupted', canReopen: entry.handle !== undefined, wrongFile },
});

/** Lists the uploads an earlier visit left unfinished. */
async function listInterrupted(): Promise<void> {
  const rows: Upload[] = [];
  for (const entry of await recallInterrupted()) {
    const id = nextId();
    interrupted.set(id, entry);
    rows.push(interruptedRow(id, entry));
  }
  if (rows.length > 0) uploadStore.getState().put(rows);
}

/**
 * Resumes an interrupted upload: the remembered handle's file once the user allows it, else the
 * file the user picks again. The same file (name, size, modification time) resumes the server's
 * upload where it stopped; another file is refused.
 */
export async function reopenUpload(id: string): Promise<void> {
  const entry = interrupted.get(id);
  if (!entry) return;
  const file =
    entry.handle !== undefined ? await fileFromHandle(entry.handle) : await pickOneFile();
  if (!file) {
    // Refused, or the file moved: from now on, offer to pick it instead.
    interrupted.set(id, { ...entry, handle: undefined });
    uploadStore.getState().put([interruptedRow(id, interrupted.get(id)!)]);
    return;
  }
  const same =
    file.name === entry.name &&
    file.size === entry.size &&
    file.lastModified === entry.lastModified;
  if (!same) {
    uploadStore.getState().put([interruptedRow(id, entry, true)]);
    return;
  }
  interrupted.delete(id);
  startTransfer(id, { file, handle: entry.handle }, entry.folderId);
}

/** Drops an interrupted upload: on the server and from this browser's memory. */
export function discardUpload(id: string): void {
  const entry = interrupted.get(id);
  if (!entry) return;
  interrupted.delete(id);
  uploadStore.getState().remove([id]);
  void deleteUpload(entry.uploadId).catch(() => {}); // already gone is fine
  void forgetUpload(entry);
}

/** Leaving the page (reload, close, navigate away) while uploads run asks first. */
function warnBeforeLeaving(event: BeforeUnloadEvent): void {
  if (![...transfers.values()].some((t) => t.busy)) return;
  event.preventDefault();
  event.returnValue = ''; // older browsers need it set
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', warnBeforeLeaving);
  void listInterrupted();
}
