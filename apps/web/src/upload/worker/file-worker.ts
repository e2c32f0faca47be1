// Web Worker entry: one file's chunks, read once and sent from here (see protocol.ts); their SHA-1
// is computed in a worker this one starts (hashing/sha1-worker.ts), on another core.
import { putChunk } from '../../api/put-chunk.ts';
import { startSha1Worker } from '../hashing/sha1-worker-client.ts';
import { handleWorkerRequests } from './handle-requests.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = handleWorkerRequests(
  (message: WorkerReply) => scope.postMessage(message),
  putChunk,
  async () => startSha1Worker(),
);

scope.onmessage = ({ data }: MessageEvent<WorkerRequest>) => handle(data);
