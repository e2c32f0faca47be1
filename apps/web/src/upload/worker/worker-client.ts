// The page's side of the file worker: one worker per file and run, ended by `close()`. `send`
// resolves when the server has acknowledged the chunk and rejects with the ApiError of its answer
// (or the HashError when the chunk could not be read); `sha1` resolves once every byte is read.
import { ApiError } from '../../api/client.ts';
import { HashError, type HashErrorCode } from '../hashing/hash-error.ts';
import type { ChunkLayout, WireError, WorkerReply, WorkerRequest } from './protocol.ts';

export interface WorkerPort {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface FileWorker {
  /** The file's SHA-1 (lowercase hex), known once the worker has read every chunk. */
  readonly sha1: Promise<string>;
  send(
    uploadId: string,
    index: number,
    offset: number,
    options: { signal: AbortSignal; onProgress: (sent: number) => void },
  ): Promise<void>;
  /** The server holds these chunks whole: the worker need not keep them. */
  held(indexes: readonly number[]): void;
  close(): void;
}

export interface FileWorkerOptions {
  held: readonly number[];
  readAhead: number;
  createWorker?: () => WorkerPort;
}

const browserWorker = (): WorkerPort =>
  new Worker(new URL('./file-worker.ts', import.meta.url), { type: 'module' }) as WorkerPort;

export function fromWire(error: WireError): Error {
  if (error.status === -1) return new HashError(error.code as HashErrorCode, error.message);
  const err = new ApiError(error.status, error.code, error.message);
  if (error.offset !== undefined) err.offset = error.offset;
  return err;
}

interface PendingSend {
  resolve: () => void;
  reject: (err: unknown) => void;
  onProgress: (sent: number) => void;
}

export function startFileWorker(
  file: Blob,
  layout: ChunkLayout,
  { held, readAhead, createWorker = browserWorker }: FileWorkerOptions,
): FileWorker {
  const worker = createWorker();
  const pending = new Map<number, PendingSend>();
  let lastId = 0;
  let closed = false;
  let settleSha1!: { resolve: (sha1: string) => void; reject: (err: unknown) => void };
  const sha1 = new Promise<string>((resolve, reject) => (settleSha1 = { resolve, reject }));
  sha1.catch(() => {}); // a caller that never asks for it must not see an unhandled rejection

  const failAll = (err: Error) => {
    settleSha1.reject(err);
    for (const send of pending.values()) send.reject(err);
    pending.clear();
  };

  worker.onmessage = ({ data }) => {
    switch (data.type) {
      case 'sha1':
        return settleSha1.resolve(data.sha1);
      case 'error':
        return failAll(new HashError(data.code, data.message));
      case 'progress':
        return pending.get(data.id)?.onProgress(data.sent);
      case 'sent':
        pending.get(data.id)?.resolve();
        pending.delete(data.id);
        return;
      case 'failed':
        pending.get(data.id)?.reject(fromWire(data.error));
        pending.delete(data.id);
        return;
      case 'aborted':
        pending.get(data.id)?.reject(new DOMException('Aborted', 'AbortError'));
        pending.delete(data.id);
        return;
    }
  };
  worker.onerror = (event) => failAll(new HashError('worker_failed', event.message));
  worker.postMessage({ type: 'open', file, layout, held: [...held], readAhead });

  return {
    sha1,
    send(uploadId, index, offset, { signal, onProgress }) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (closed) return Promise.reject(new HashError('worker_failed', 'The worker is closed'));
      const id = ++lastId;
      return new Promise<void>((resolve, reject) => {
        // Settles only once the worker says the request is over, so that when every send has
        // settled, nothing of this file is on the wire any more (a pause means silence).
        const onAbort = () => worker.postMessage({ type: 'abort', id });
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: () => (done(), resolve()),
          reject: (err) => (done(), reject(signal.aborted ? signal.reason : err)),
          onProgress,
        });
        worker.postMessage({ type: 'send', id, uploadId, index, offset });
      });
    },
    held(indexes) {
      worker.postMessage({ type: 'held', indexes: [...indexes] });
    },
    close() {
      closed = true;
      worker.terminate();
      failAll(new DOMException('Closed', 'AbortError') as unknown as Error);
    },
  };
}
