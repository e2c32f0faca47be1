// Streams a file's bytes: a single Range (206) or the whole file, ETag = the SHA-1, If-Range,
// If-None-Match, and a Content-Disposition that keeps UTF-8 (e.g. Chinese) names intact.
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import mime from 'mime-types';
import parseRange from 'range-parser';
import { HttpError } from '../http/errors.ts';
import { USER_CONTENT_CSP } from '../http/security-headers.ts';
import type { ByteRange } from '../storage/object-store.ts';

export type Disposition = 'attachment' | 'inline';

export interface Downloadable {
  name: string;
  size: number;
  sha1: string;
  /** Opens the bytes (from staging or the object store), before any header is sent. */
  open: (range?: ByteRange) => Promise<Readable>;
}

export interface SendOptions {
  /** `inline` for the viewer; downloads are attachments. */
  disposition?: Disposition;
  /** Runs once the answer is decided, before any header goes out (a share counts downloads). */
  onStart?: (range: ByteRange | undefined) => Promise<void>;
}

// What a browser may render inline from our origin. Other text (HTML, SVG, scripts…) is shown as
// plain text, so a file someone uploaded can never run script in the app's origin.
const RENDERABLE =
  /^(image\/(png|jpeg|gif|webp|avif|bmp)|video\/.+|audio\/.+|application\/pdf|text\/plain)$/;
const TEXT_LIKE = /^text\/|json|xml|javascript|yaml|x-sh$/;

const typeOf = (name: string) => mime.lookup(name) || 'application/octet-stream';

/** Text by its name's extension (HTML, JSON, CSV, source code…). */
export const isTextLike = (name: string) => TEXT_LIKE.test(typeOf(name));

function contentTypeOf(name: string, disposition: Disposition): string {
  const type = typeOf(name);
  if (disposition === 'inline' && !RENDERABLE.test(type))
    return isTextLike(name) ? 'text/plain; charset=utf-8' : 'application/octet-stream';
  return mime.contentType(type) || 'application/octet-stream';
}

/** Pipes `source` into the answer; a client that went away is not an error (nothing to answer). */
export async function streamTo(res: Response, source: Readable): Promise<void> {
  await pipeline(source, res).catch((err: NodeJS.ErrnoException) => {
    if (!res.writableFinished && (res.destroyed || err.code === 'ERR_STREAM_PREMATURE_CLOSE'))
      return;
    throw err;
  });
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

export async function sendFile(
  req: Request,
  res: Response,
  file: Downloadable,
  { disposition = 'attachment', onStart }: SendOptions = {},
): Promise<void> {
  const etag = `"${file.sha1}"`;
  if (req.get('if-none-match') === etag) {
    res.status(304).set('ETag', etag).end();
    return;
  }
  const range = requestedRange(req, file.size, etag);
  await onStart?.(range);
  res.set({
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, no-cache',
    'Content-Type': contentTypeOf(file.name, disposition),
    'Content-Disposition': contentDisposition(file.name, { type: disposition }),
    // Attachments too: a browser that ignored the disposition still renders nothing live.
    'Content-Security-Policy': USER_CONTENT_CSP,
  });
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
  await streamTo(res, await file.open(range));
}
