// Streaming uploads and downloads through the gateway (node:http): a chunked upload of the v2
// chunk API with several chunks in flight and retries of failed chunks, and downloads hashed as
// they arrive. No body is ever held whole.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hmacOf, type Answer, type Client } from '../support/client.ts';
import type { Content } from './content.ts';

interface OpenUpload {
  uploadId: string;
  chunkSize: number;
  chunkCount: number;
}

export interface ChunkedUploadResult {
  uploadId: string;
  /** POST /complete's answer. */
  completed: Answer;
  /** Chunk PUTs that failed (refused, cut off, 502) and were sent again. */
  failedPuts: number;
}

export interface ChunkedUploadOptions {
  inFlight?: number;
  /**
   * Called after each chunk is whole on the server, with the number done so far and the request
   * ids of the chunk PUTs in flight at that moment.
   */
  onChunkDone?: (done: number, sending: ReadonlySet<string>) => void;
}

/** X-Request-Id of a chunk PUT: the roles log it, so a test finds which replica served a chunk. */
const chunkRequestId = (uploadId: string, index: number, attempt: number) =>
  `${uploadId}.${index}.${attempt}`;

const MAX_ATTEMPTS = 10;

/**
 * Uploads `content` by chunks, `inFlight` at a time; a chunk whose PUT fails is resumed from the
 * bytes the server reports holding (Upload-Offset). Completes with the SHA-1 given at init.
 */
export async function uploadInChunks(
  user: Client,
  name: string,
  content: Content,
  { inFlight = 4, onChunkDone }: ChunkedUploadOptions = {},
): Promise<ChunkedUploadResult> {
  const sha1 = (await content.digest('sha1')).toString('hex');
  const init = await user.call('POST', '/api/uploads', { name, size: content.size, sha1 });
  if (init.status !== 201) throw new Error(`init: ${init.status} ${JSON.stringify(init.body)}`);
  const upload = init.body as OpenUpload;
  let next = 0;
  let done = 0;
  let failedPuts = 0;
  const sending = new Set<string>();
  const sender = async () => {
    for (let index = next++; index < upload.chunkCount; index = next++) {
      const failures = await sendChunk(user, upload, content, index, sending);
      failedPuts += failures; // not `+= await`: that would add to the value read before the wait
      onChunkDone?.(++done, sending);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  const completed = await user.call('POST', `/api/uploads/${upload.uploadId}/complete`);
  return { uploadId: upload.uploadId, completed, failedPuts };
}

/**
 * Sends one chunk until the server holds it whole; returns the failed attempts. The request id of
 * each PUT is in `sending` while it runs.
 */
async function sendChunk(
  user: Client,
  upload: OpenUpload,
  content: Content,
  index: number,
  sending: Set<string>,
): Promise<number> {
  const start = index * upload.chunkSize;
  const end = Math.min(content.size, start + upload.chunkSize);
  const md5 = (await content.digest('md5', start, end)).toString('base64');
  let offset = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      await sleep(200 * attempt);
      const held = await heldOf(user, upload.uploadId, index).catch(() => undefined);
      if (held === 'whole') return attempt;
      if (held === undefined) continue; // the status request failed too: ask again
      offset = held;
    }
    const requestId = chunkRequestId(upload.uploadId, index, attempt);
    sending.add(requestId);
    const status = await putFrom(user, upload.uploadId, index, content, start + offset, end, {
      'content-md5': md5,
      'upload-offset': String(offset),
      'x-request-id': requestId,
    }).catch(() => 0);
    sending.delete(requestId);
    if (status === 204) return attempt;
  }
  throw new Error(`chunk ${index} still failing after ${MAX_ATTEMPTS} attempts`);
}

/** What the server holds of a chunk, from GET /api/uploads/:id. */
async function heldOf(user: Client, uploadId: string, index: number): Promise<number | 'whole'> {
  const status = await user.call('GET', `/api/uploads/${uploadId}`);
  if (status.status !== 200) throw new Error(`upload status: ${status.status}`);
  if ((status.body.uploaded as number[]).includes(index)) return 'whole';
  const partial = (status.body.partial as { index: number; bytes: number }[]).find(
    (chunk) => chunk.index === index,
  );
  return partial?.bytes ?? 0;
}

/** PUT of bytes [from, end) of the file as (the rest of) chunk `index`; resolves with the status. */
function putFrom(
  user: Client,
  uploadId: string,
  index: number,
  content: Content,
  from: number,
  end: number,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${user.baseUrl}/api/uploads/${uploadId}/chunks/${index}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/octet-stream',
        'content-length': end - from,
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', reject);
    });
    req.on('error', reject);
    // A failed send shows as the request's error (or an early answer): nothing more to do here.
    pipeline(content.stream(from, end), req).catch(() => undefined);
  });
}

/** Instant upload (秒传) of content the server holds: the challenge, then the HMAC of its window. */
export async function instantUpload(user: Client, name: string, content: Content) {
  const sha1 = (await content.digest('sha1')).toString('hex');
  const body = { name, size: content.size, sha1 };
  const asked = await user.call('POST', '/api/files/instant', body);
  if (asked.status !== 200) throw new Error(`challenge: ${asked.status}`);
  const { challenge } = asked.body;
  const window = content.bytes(challenge.offset, challenge.offset + challenge.length);
  return user.call('POST', '/api/files/instant', {
    ...body,
    proof: { token: challenge.token, hmac: hmacOf(challenge.nonce, window) },
  });
}

export interface HashedDownload {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes received so far. */
  received: () => number;
  pause: () => void;
  resume: () => void;
  /** The body's SHA-1 and length once it has ended. */
  finished: Promise<{ sha1: string; bytes: number }>;
}

/** Starts a GET whose body is hashed as it arrives; resolves once the answer's headers are in. */
export function startDownload(
  url: string,
  headers: Record<string, string> = {},
): Promise<HashedDownload> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const hash = createHash('sha1');
        let received = 0;
        res.on('data', (piece: Buffer) => {
          hash.update(piece);
          received += piece.length;
        });
        const finished = new Promise<{ sha1: string; bytes: number }>((done, failed) => {
          res.on('end', () => done({ sha1: hash.digest('hex'), bytes: received }));
          res.on('error', failed);
          res.on('aborted', () => failed(new Error(`download cut off after ${received} bytes`)));
        });
        finished.catch(() => undefined); // observed by whoever awaits it
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          received: () => received,
          pause: () => res.pause(),
          resume: () => res.resume(),
          finished,
        });
      })
      .on('error', reject);
  });
}

/** A whole download's status, SHA-1 and length. */
export async function downloadHashed(url: string, headers: Record<string, string> = {}) {
  const download = await startDownload(url, headers);
  return { status: download.status, ...(await download.finished) };
}
