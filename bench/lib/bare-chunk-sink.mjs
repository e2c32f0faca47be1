// The floor of a verifying chunked upload on this machine: a bare node:http server that speaks just
// enough of the chunk API for lib/chunk-client.mjs (v2) and does, per byte, the work the issue asks
// of any server — CRC32C of each chunk (checked against Upload-Checksum), SHA-1 (node:crypto) and a
// positioned write into one file (SINK_FILE) — and nothing else: no database, no lease, no order
// (each chunk's SHA-1 on its own: the same CPU as one running SHA-1 over the file). `complete`
// echoes the client's SHA-1. What the chunk API spends above this is ours; what this spends above
// @tus/server is the verification.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32c } from '@node-rs/crc32';
import { serveOnPort } from './serve-child.mjs';

const CHUNK_SIZE = 8 * 1024 * 1024;
const SINK_FILE = process.env.SINK_FILE;
await writeFile(SINK_FILE, '');
let size = 0;

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Reads a JSON request body (small: init and complete). */
async function jsonBody(req) {
  let text = '';
  for await (const piece of req) text += piece;
  return JSON.parse(text || '{}');
}

async function putChunk(req, res, index) {
  const sha1 = createHash('sha1');
  let crc = 0;
  const out = createWriteStream(SINK_FILE, { flags: 'r+', start: index * CHUNK_SIZE });
  await pipeline(
    req,
    async function* check(pieces) {
      for await (const piece of pieces) {
        crc = crc32c(piece, crc);
        sha1.update(piece);
        yield piece;
      }
    },
    out,
  );
  sha1.digest();
  const expected = Buffer.from(req.headers['upload-checksum'].split(' ')[1], 'base64');
  if (expected.readUInt32BE() !== crc >>> 0) return json(res, 460, { error: 'checksum_mismatch' });
  res.writeHead(204).end();
}

serveOnPort(async (req, res) => {
  const route = new URL(req.url, 'http://localhost').pathname.split('/').slice(3); // after /api/uploads
  if (req.method === 'POST' && route.length === 0) {
    size = (await jsonBody(req)).size;
    const chunkCount = Math.ceil(size / CHUNK_SIZE);
    return json(res, 201, { uploadId: 'sink', chunkSize: CHUNK_SIZE, chunkCount, uploaded: [] });
  }
  if (req.method === 'PUT' && route[1] === 'chunks') return putChunk(req, res, Number(route[2]));
  if (req.method === 'POST' && route[1] === 'complete') {
    const { sha1 } = await jsonBody(req);
    return json(res, 200, { file: { sha1, size } });
  }
  json(res, 404, { error: 'not_found' });
});
