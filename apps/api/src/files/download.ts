// Streams a file's bytes: a single Range (206) or the whole file, ETag = the SHA-1, If-Range,
// If-None-Match, and a Content-Disposition that keeps UTF-8 (e.g. Chinese) names intact.
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import mime from 'mime-types';
import parseRange from 'range-parser';
import { HttpError } from '../http/errors.ts';

export interface Downloadable {
  name: string;
  size: number;
  sha1: string;
  /** Opens the bytes (from staging or the object store), before any header is sent. */
  open: (range?: { start: number; end: number }) => Promise<Readable>;
}

/** The one byte range to send, or undefined for the whole file; 416 when none can be satisfied. */
function requestedRange(req: Request, size: number, etag: string) {
  const header = req.get('range');
  if (!header) return undefined;
  // If-Range: a range is only valid against the version the client already holds.
  const ifRange = req.get('if-range');
  if (ifRange && ifRange !== etag) return undefined;
  const ranges = parseRange(size, header, { combine: true });
  if (ranges === -1) {
    throw new HttpError('range_not_satisfiable', `The file has ${size} bytes`, {
      headers: { 'Content-Range': `bytes */${size}` },
    });
  }
  // Malformed headers and multi-range requests get the whole file, as RFC 9110 allows.
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return undefined;
  return ranges[0];
}

export async function sendFile(req: Request, res: Response, file: Downloadable): Promise<void> {
  const etag = `"${file.sha1}"`;
  res.set({
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, no-cache',
    'Content-Type':
      mime.contentType(mime.lookup(file.name) || 'application/octet-stream') ||
      'application/octet-stream',
    'Content-Disposition': contentDisposition(file.name, { type: 'attachment' }),
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.get('if-none-match') === etag) {
    res.status(304).end();
    return;
  }
  const range = requestedRange(req, file.size, etag);
  if (range) {
    res.status(206).set({
      'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`,
      'Content-Length': String(range.end - range.start + 1),
    });
  } else {
    res.status(200).set('Content-Length', String(file.size));
  }
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    return;
  }
  const body = await file.open(range);
  // A client that disconnects ends the pipeline with an error; there is nothing left to answer.
  await pipeline(body, res).catch((err: NodeJS.ErrnoException) => {
    if (!res.writableFinished && (res.destroyed || err.code === 'ERR_STREAM_PREMATURE_CLOSE'))
      return;
    throw err;
  });
}
