// A Node client of the chunked upload API (`/api/uploads…` in DESIGN.md): the file's SHA-1 first
// (streamed), then init, every chunk PUT with its Content-MD5 by `concurrency` workers, complete.
// Each chunk is read once into its own buffer, hashing while reading, so at most `concurrency`
// chunks are in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
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

/** Bytes [start, start + length) of `file` in one buffer and their MD5 (base64), in one read. */
async function readChunk(file, start, length) {
  const bytes = Buffer.allocUnsafe(length);
  const md5 = createHash('md5');
  let filled = 0;
  const range = { start, end: start + length - 1, highWaterMark: READ_BUFFER_BYTES };
  for await (const piece of createReadStream(file, range)) {
    md5.update(piece);
    filled += piece.copy(bytes, filled);
  }
  return { bytes, md5: md5.digest('base64') };
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

/**
 * Uploads `file` through the chunk API at `apiUrl`; checks the answered sha1 and size. Returns
 * { file (the API's answer), sha1Seconds (the pre-hash), uploadSeconds (init to complete),
 * completeSeconds (the complete request alone: the server's assembly pass) }.
 */
export async function uploadChunked(apiUrl, token, file, { concurrency }) {
  const { size } = await stat(file);
  const { result: sha1, seconds: sha1Seconds } = await timed(() => sha1OfFile(file));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (method, route, options) =>
    send(method, `${apiUrl}/api/uploads${route}`, { token, agent, ...options });
  try {
    const started = performance.now();
    const upload = await call('POST', '', {
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ name: path.basename(file), size, sha1 })),
    });
    if (!upload.uploadId) throw new Error(`expected a new upload, got ${JSON.stringify(upload)}`);
    const received = new Set(upload.uploaded);
    const queue = Array.from({ length: upload.chunkCount }, (_, index) => index).filter(
      (index) => !received.has(index),
    );
    const worker = async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const { start, length } = chunkRange(index, size, upload.chunkSize);
        const chunk = await readChunk(file, start, length);
        await call('PUT', `/${upload.uploadId}/chunks/${index}`, {
          headers: { 'content-type': 'application/octet-stream', 'content-md5': chunk.md5 },
          body: chunk.bytes,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const { result, seconds: completeSeconds } = await timed(() =>
      call('POST', `/${upload.uploadId}/complete`),
    );
    const uploadSeconds = (performance.now() - started) / 1000;
    if (result.file.sha1 !== sha1 || result.file.size !== size) {
      throw new Error(
        `stored ${result.file.size} bytes, SHA-1 ${result.file.sha1}; sent ${size}, ${sha1}`,
      );
    }
    return { file: result.file, sha1Seconds, uploadSeconds, completeSeconds };
  } finally {
    agent.destroy();
  }
}
