// A multipart/form-data upload that streams a file from disk with node:http (Node 20's fetch
// would buffer the whole body first).
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { jsonAnswer } from './http-request.mjs';
import { MiB } from './measure.mjs';

/** POSTs `file` as the form field `file`; resolves with the parsed JSON of a 2xx answer. */
export async function uploadForm(url, token, file, name = 'upload.bin') {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { size } = await stat(file);
  const req = request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  });
  const answered = jsonAnswer(req);
  req.write(head);
  await pipeline(createReadStream(file, { highWaterMark: MiB }), req, { end: false });
  req.end(tail);
  return answered;
}
