// Web Worker entry: hashes, in order, the slices of one Blob that the page reads and transfers to it.
import type { HashReply, HashRequest } from './hash-protocol.ts';
import { handleHashRequests } from './hash-sha1.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = handleHashRequests((message: HashReply) => scope.postMessage(message));

scope.onmessage = ({ data }: MessageEvent<HashRequest>) => void handle(data);
