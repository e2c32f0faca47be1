// POST /api/files multipart/form-data, field `file` → 201 {file}; 413 when too large.
// XHR rather than fetch: it is the browser API that reports upload progress, and FormData with
// a File streams from disk.
import type { FileItem, FileResponse } from '@filestore/contract';
import { networkError, toApiError } from './client.ts';

export interface FormUploadCallbacks {
  /** Bytes of the request body sent so far. */
  onProgress: (sent: number) => void;
  /** Every byte is sent; the server is now storing and verifying. */
  onSent: () => void;
}

export function uploadFileForm(file: File, callbacks: FormUploadCallbacks): Promise<FileItem> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.upload.onprogress = (event) => callbacks.onProgress(event.loaded);
    xhr.upload.onload = () => callbacks.onSent();
    xhr.onerror = () => reject(networkError());
    xhr.onload = () => {
      if (xhr.status === 201) resolve((JSON.parse(xhr.responseText) as FileResponse).file);
      else reject(toApiError(xhr.status, xhr.responseText));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
