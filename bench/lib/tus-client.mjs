// tus-js-client in Node, as its docs describe: an fs.ReadStream source (read again by ranges from
// the file's path), 8 MiB chunks, one request at a time.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Upload } from 'tus-js-client';
import { MiB } from './measure.mjs';

/** Uploads `file` to the tus endpoint; resolves with the upload's URL. */
export function uploadTus(endpoint, file) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(createReadStream(file), {
      endpoint,
      chunkSize: 8 * MiB,
      parallelUploads: 1,
      retryDelays: [], // a bench run fails loudly rather than retrying
      storeFingerprintForResuming: false,
      metadata: { filename: path.basename(file) },
      onSuccess: () => resolve(upload.url),
      onError: reject,
    });
    upload.start();
  });
}
