// PUT /api/uploads/:id/chunks/:index, the raw bytes with `Content-MD5` → 204; 400 bad_digest or
// invalid_chunk; 404 when the upload is gone; 409 upload_closed once it is completing.
// XHR rather than fetch: it is the browser API that reports upload progress, and a Blob slice
// streams from disk without being read into memory here.
import { networkError, toApiError } from './client.ts';

export interface PutChunkOptions {
  /** Base64 MD5 of `bytes`. */
  md5: string;
  signal: AbortSignal;
  /** Bytes of this chunk sent so far. */
  onProgress: (sent: number) => void;
}

export function putChunk(
  uploadId: string,
  index: number,
  bytes: Blob,
  { md5, signal, onProgress }: PutChunkOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = () => signal.removeEventListener('abort', onAbort);
    xhr.open('PUT', `/api/uploads/${encodeURIComponent(uploadId)}/chunks/${index}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Content-MD5', md5);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onabort = () => {
      settle();
      reject(signal.reason);
    };
    xhr.onerror = () => {
      settle();
      reject(networkError());
    };
    xhr.onload = () => {
      settle();
      if (xhr.status === 204) resolve();
      else reject(toApiError(xhr.status, xhr.responseText));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.send(bytes);
  });
}
