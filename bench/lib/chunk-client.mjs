// A Node client of the chunked upload API (`/api/uploads…` in DESIGN.md), in either contract:
// - v2 (issue 11): init without a SHA-1; each chunk read once, in order, straight into its own
//   buffer, then its CRC32C and the file's running SHA-1 computed; PUT with `Upload-Checksum: crc32c`;
//   complete with the SHA-1. Reads take turns, so the SHA-1 sees the bytes in order and a chunk's
//   read overlaps the other workers' sends.
// - v1 (today's clients): the file's SHA-1 first (streamed), init with it, every chunk PUT with its
//   Content-MD5, complete.
// `concurrency` workers send; at most `concurrency` chunks are in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32c } from '@node-rs/crc32';
import { jsonAnswer } from './http-request.mjs';
import { MiB, timed } from './measure.mjs';

const READ_BUFFER_BYTES = MiB;

/** The SHA-1 (hex) of a file, streamed from disk. */
export async function sha1OfFile(file) {
  const sha1 = createHash('sha1');
  for await (const piece of createReadStream(file, { highWaterMark: READ_BUFFER_BYTES })) {
    sha1.update(piece);
  }
  return sha1.digest('hex');
}

/** Bytes [start, start + length) of `file`, read straight into one buffer. */
async function readChunk(file, start, length) {
  const bytes = Buffer.allocUnsafe(length);
  const handle = await open(file);
  try {
    for (let filled = 0; filled < length;) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, start + filled);
      if (bytesRead === 0) throw new Error(`${file} ended before byte ${start + length}`);
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/** v1: the chunk and its Content-MD5 header. */
async function md5Chunk(file, start, length) {
  const bytes = await readChunk(file, start, length);
  return { bytes, headers: { 'content-md5': createHash('md5').update(bytes).digest('base64') } };
}

/** v2: the chunk and its Upload-Checksum header (CRC32C, 4 bytes big-endian), feeding `sha1`. */
async function crc32cChunk(file, start, length, sha1) {
  const bytes = await readChunk(file, start, length);
  sha1.update(bytes);
  const digest = Buffer.alloc(4);
  digest.writeUInt32BE(crc32c(bytes) >>> 0);
  return { bytes, headers: { 'upload-checksum': `crc32c ${digest.toString('base64')}` } };
}

/** Sends `body` (a Buffer) with the bearer token over `agent`; resolves with the JSON answer. */
function send(method, url, { token, agent, headers = {}, body = Buffer.alloc(0) }) {
  const req = request(url, {
    method,
    agent,
    headers: { authorization: `Bearer ${token}`, 'content-length': body.length, ...headers },
  });
  const answered = jsonAnswer(req);
  req.end(body);
  return answered;
}

/** Chunk `index`'s [start, length) for a file of `size` bytes cut in `chunkSize` chunks. */
const chunkRange = (index, size, chunkSize) => {
  const start = index * chunkSize;
  return { start, length: Math.min(chunkSize, size - start) };
};

/** Runs `fn` after the previous call's promise settled: one at a time, in call order. */
function inTurn() {
  let last = Promise.resolve();
  return (fn) => {
    const result = last.then(fn);
    last = result.catch(() => undefined);
    return result;
  };
}

/**
 * Uploads `file` through the chunk API at `apiUrl` with contract `protocol` ('v2' or 'v1'); checks
 * the answered sha1 and size. Returns { file (the API's answer), sha1Seconds (v1's pre-hash; 0 in
 * v2), uploadSeconds (init to complete), completeSeconds (the complete request alone) }.
 */
export async function uploadChunked(apiUrl, token, file, { concurrency, protocol = 'v2' }) {
  const v2 = protocol === 'v2';
  const { size } = await stat(file);
  const preHash = v2 ? { result: undefined, seconds: 0 } : await timed(() => sha1OfFile(file));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (method, route, options) =>
    send(method, `${apiUrl}/api/uploads${route}`, { token, agent, ...options });
  const json = (body) => ({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  });
  try {
    const started = performance.now();
    const upload = await call(
      'POST',
      '',
      json({ name: path.basename(file), size, ...(v2 ? {} : { sha1: preHash.result }) }),
    );
    if (!upload.uploadId) throw new Error(`expected a new upload, got ${JSON.stringify(upload)}`);
    if (v2 && upload.uploaded.length > 0) throw new Error('v2 expects a fresh upload');
    const received = new Set(upload.uploaded);
    const queue = Array.from({ length: upload.chunkCount }, (_, index) => index).filter(
      (index) => !received.has(index),
    );
    const sha1 = createHash('sha1');
    const readTurn = inTurn();
    const read = (start, length) =>
      v2 ? readTurn(() => crc32cChunk(file, start, length, sha1)) : md5Chunk(file, start, length);
    const worker = async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const { start, length } = chunkRange(index, size, upload.chunkSize);
        const chunk = await read(start, length);
        await call('PUT', `/${upload.uploadId}/chunks/${index}`, {
          headers: { 'content-type': 'application/octet-stream', ...chunk.headers },
          body: chunk.bytes,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const fileSha1 = v2 ? sha1.digest('hex') : preHash.result;
    const { result, seconds: completeSeconds } = await timed(() =>
      call('POST', `/${upload.uploadId}/complete`, v2 ? json({ sha1: fileSha1 }) : {}),
    );
    const uploadSeconds = (performance.now() - started) / 1000;
    if (result.file.sha1 !== fileSha1 || result.file.size !== size) {
      throw new Error(
        `stored ${result.file.size} bytes, SHA-1 ${result.file.sha1}; sent ${size}, ${fileSha1}`,
      );
    }
    return { file: result.file, sha1Seconds: preHash.seconds, uploadSeconds, completeSeconds };
  } finally {
    agent.destroy();
  }
}
