// Chunk PUTs of the upload pipeline v2 (issue 11): Upload-Checksum, Upload-Offset, and a PUT cut
// off mid-body at a chosen byte.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { crc32 } from 'hash-wasm';
import type { Answer, Client } from './client.ts';
import { sleep } from './raw-http.ts';

export type Algorithm = 'crc32c' | 'md5' | 'sha1';

/** `Upload-Checksum` of the bytes. CRC32C from hash-wasm, as the web app computes it. */
export async function uploadChecksum(algorithm: Algorithm, bytes: Uint8Array): Promise<string> {
  const digest =
    algorithm === 'crc32c'
      ? Buffer.from(await crc32(bytes, 0x82f63b78), 'hex')
      : createHash(algorithm).update(bytes).digest();
  return `${algorithm} ${digest.toString('base64')}`;
}

/** PUT of `body` with the given headers (no Content-MD5 unless given). */
export async function putRaw(
  user: Client,
  uploadId: string,
  index: number,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<Answer> {
  const res = await user.raw('PUT', `/api/uploads/${uploadId}/chunks/${index}`, {
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/**
 * Starts a PUT of the whole chunk (its Content-Length and checksum announced), sends `sent` bytes
 * of it and then aborts the request, as a pause or a lost network does.
 */
export async function putCutOff(
  user: Client,
  uploadId: string,
  index: number,
  chunk: Uint8Array,
  sent: number,
): Promise<void> {
  const req = http.request(`${user.baseUrl}/api/uploads/${uploadId}/chunks/${index}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/octet-stream',
      'content-length': chunk.length,
      'upload-checksum': await uploadChecksum('crc32c', chunk),
    },
  });
  req.on('error', () => undefined); // the abort below
  await new Promise<void>((resolve) => req.write(chunk.subarray(0, sent), () => resolve()));
  await sleep(300); // the server has read and written what was sent
  req.destroy();
}

/** A PUT that sends half of the body, waits `pauseMs`, then the rest: it holds its chunk meanwhile. */
export async function putSlowly(
  user: Client,
  uploadId: string,
  index: number,
  body: Buffer,
  checksum: string,
  pauseMs = 300,
) {
  const req = http.request(`${user.baseUrl}/api/uploads/${uploadId}/chunks/${index}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      'upload-checksum': checksum,
    },
  });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (data: Buffer) => (text += data.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, body.length / 2));
  await sleep(pauseMs);
  req.end(body.subarray(body.length / 2));
  const { status, text } = await answered;
  return { status, body: text ? JSON.parse(text) : undefined };
}
