// The entry point for the UI: queue files, run them a few at a time in the order they came, keep
// their state in the upload store, and refresh the file list and usage after each one lands.
import { filesQueryKey } from '../api/get-files.ts';
import { meQueryKey } from '../api/get-me.ts';
import { queryClient } from '../api/query-client.ts';
import { createLimiter } from './limiter.ts';
import { uploadOneFile } from './upload-flow.ts';
import { uploadStore, type UploadFailure } from './upload-store.ts';

const PARALLEL_UPLOADS = 2;

const runLimited = createLimiter(PARALLEL_UPLOADS);
let lastId = 0;

function toFailure(err: unknown): UploadFailure {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'unknown',
    message: err instanceof Error ? err.message : String(err),
  };
}

async function runUpload(id: string, file: File) {
  const { setState } = uploadStore.getState();
  try {
    await uploadOneFile(file, (state) => setState(id, state));
  } catch (err) {
    setState(id, { status: 'failed', reason: toFailure(err) });
    return;
  }
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: filesQueryKey }),
    queryClient.invalidateQueries({ queryKey: meQueryKey }),
  ]);
}

export function enqueueUploads(files: Iterable<File>): void {
  for (const file of files) {
    // A page-local counter: crypto.randomUUID needs a secure context, and ids never leave the page.
    const id = `upload-${++lastId}`;
    uploadStore
      .getState()
      .add({ id, name: file.name, size: file.size, state: { status: 'queued' } });
    void runLimited(() => runUpload(id, file));
  }
}
