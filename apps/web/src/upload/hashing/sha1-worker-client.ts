// The file worker's side of sha1-protocol.ts: a Sha1Sink whose hashing runs in sha1-worker.ts.
// Each push transfers the chunk's buffer (no copy); at most MAX_QUEUED chunks wait there, so the
// memory stays bounded when hashing is slower than reading.
import { HashError } from './hash-error.ts';
import type { Sha1Sink } from './sha1.ts';
import type { Sha1Reply, Sha1Request } from './sha1-protocol.ts';

/** Chunks handed to the SHA-1 worker and not hashed yet, at most. */
export const MAX_QUEUED = 2;

export interface Sha1Port {
  postMessage(message: Sha1Request, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<Sha1Reply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

const browserWorker = (): Sha1Port =>
  new Worker(new URL('./sha1-worker.ts', import.meta.url), { type: 'module' });

export function startSha1Worker(createWorker: () => Sha1Port = browserWorker): Sha1Sink {
  const worker = createWorker();
  let queued = 0;
  let failure: Error | undefined;
  const wakers: (() => void)[] = [];
  let settleDigest: { resolve: (sha1: string) => void; reject: (err: Error) => void } | undefined;
  const wakeAll = () => wakers.splice(0).forEach((wake) => wake());

  const fail = (err: Error) => {
    failure ??= err;
    settleDigest?.reject(err);
    wakeAll();
  };
  worker.onmessage = ({ data }) => {
    if (data.type === 'hashed') {
      queued -= 1;
      wakers.shift()?.();
    } else if (data.type === 'digest') settleDigest?.resolve(data.sha1);
    else fail(new HashError(data.code, data.message));
  };
  worker.onerror = (event) => fail(new HashError('worker_failed', event.message));

  return {
    async push(bytes) {
      if (failure) throw failure;
      worker.postMessage({ type: 'update', bytes }, [bytes.buffer]);
      queued += 1;
      while (queued >= MAX_QUEUED && !failure) await new Promise<void>((wake) => wakers.push(wake));
      if (failure) throw failure;
    },
    digest() {
      if (failure) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        settleDigest = { resolve, reject };
        worker.postMessage({ type: 'digest' }, []);
      });
    },
  };
}
