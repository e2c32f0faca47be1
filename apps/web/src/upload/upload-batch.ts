// Files dropped or picked into a folder, as one batch: read the names the folder holds, ask about
// the ones taken (conflicts.ts), then queue what goes. One batch at a time: a second drop waits
// for the first one's answers, so the questions never interleave.
import { getFileNames } from '../api/get-file-names.ts';
import type { PickedFile } from './file-handles.ts';
import { resolveConflicts, type AskConflict } from './conflicts.ts';
import { enqueueUploads } from './uploader.ts';

let turn: Promise<unknown> = Promise.resolve();

/** Settles once the batch is queued; rejects when the folder's names could not be read. */
export function uploadBatch(
  files: readonly (File | PickedFile)[],
  folderId: string | null,
  ask: AskConflict,
): Promise<void> {
  const batch = turn.then(async () => {
    const taken = await getFileNames(folderId);
    const picked = files.map((item) => (item instanceof File ? { file: item } : item));
    enqueueUploads(await resolveConflicts(picked, taken, ask), folderId);
  });
  turn = batch.catch(() => {});
  return batch;
}
