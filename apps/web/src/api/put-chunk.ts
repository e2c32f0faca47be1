// PUT /api/uploads/:id/chunks/:index, the chunk's bytes from `Upload-Offset` on, with
// `Upload-Checksum` of the WHOLE chunk → 204; 460 checksum_mismatch; 409 offset_mismatch (with
// the offset the server holds) or upload_closed; 404 when the upload is gone. Runs in the file
// worker. XHR rather than fetch: it is the browser API that reports upload progress. The body goes
// as a Blob of the bytes read (one memcpy, no second read of the file): Chromium sends a Blob body
// ~2× faster than an ArrayBuffer one and DevTools does not copy it (docs/benchmarks.md, issue 11).
import type { PutChunk } from '../upload/worker/chunk-pipeline.ts';
import { networkError, toApiError } from './client.ts';

export const putChunk: PutChunk = (
  { uploadId, index, offset, body, checksum },
  onProgress,
  signal,
) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = () => signal.removeEventListener('abort', onAbort);
    xhr.open('PUT', `/api/uploads/${encodeURIComponent(uploadId)}/chunks/${index}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Upload-Checksum', checksum);
    if (offset > 0) xhr.setRequestHeader('Upload-Offset', String(offset));
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
    xhr.send(new Blob([body]));
  });
