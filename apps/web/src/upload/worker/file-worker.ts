// Web Worker entry: one file's chunks, read once, hashed, and sent from here (see protocol.ts).
import { putChunk } from '../../api/put-chunk.ts';
import { handleWorkerRequests } from './handle-requests.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = handleWorkerRequests((message: WorkerReply) => scope.postMessage(message), putChunk);

scope.onmessage = ({ data }: MessageEvent<WorkerRequest>) => handle(data);
