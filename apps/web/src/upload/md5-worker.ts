// Web Worker entry: reads one chunk (a Blob slice) and answers its base64 MD5, off the main thread.
import { md5Base64 } from './md5-digest.ts';
import type { Md5Reply, Md5Request } from './md5-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: Md5Reply) => scope.postMessage(message);

scope.onmessage = async ({ data: { id, blob } }: MessageEvent<Md5Request>) => {
  let bytes: ArrayBuffer;
  try {
    bytes = await blob.arrayBuffer();
  } catch (err) {
    // The file changed or vanished on disk since it was picked.
    return reply({ id, type: 'error', code: 'read_failed', message: String(err) });
  }
  try {
    reply({ id, type: 'done', md5: await md5Base64(bytes) });
  } catch (err) {
    reply({ id, type: 'error', code: 'worker_failed', message: String(err) });
  }
};
