// The simple form upload (POST /api/files, multipart field `file`): busboy streams the part straight
// into a staging file, computing SHA-1 and size in the same pass. Nothing is held in memory, and a
// client that goes away mid-upload leaves no temp file behind.
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { FileName } from '@filestore/contract';
import { fileTooLarge, HttpError, quotaExceeded } from '../http/errors.ts';
import { bodyOf } from '../http/request-body.ts';
import { parse } from '../http/validate.ts';
import { STREAM_BUFFER_BYTES, writeDigested } from '../storage/digest-stream.ts';

// Room for the multipart boundaries, part headers and small fields around the file's bytes.
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export interface ReceivedFile {
  name: string;
  tempPath: string;
  sha1: string;
  size: number;
}

/**
 * `maxBytes`: UPLOAD_MAX_BYTES; `roomBytes`: what the quota still allows. Both are checked against
 * the declared Content-Length before reading, and against the running count while streaming.
 */
export async function receiveFormFile(
  req: Request,
  options: { maxBytes: number; roomBytes: number; tempPath: string },
): Promise<ReceivedFile> {
  const { tempPath } = options;
  const maxBytes = Math.min(options.maxBytes, options.roomBytes);
  const tooLarge = () =>
    maxBytes < options.maxBytes ? quotaExceeded() : fileTooLarge(options.maxBytes);
  const declared = Number(req.get('content-length'));
  if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8', // browsers send UTF-8 file names (Chinese names must survive)
      highWaterMark: STREAM_BUFFER_BYTES,
      fileHwm: STREAM_BUFFER_BYTES,
      limits: {
        files: 1,
        fileSize: maxBytes + 1, // busboy reports reaching its limit, not passing it
        fields: 8,
        fieldSize: 4096,
        parts: 9,
        headerPairs: 32,
      },
    });
  } catch {
    throw new HttpError(
      'unsupported_media_type',
      'Expected multipart/form-data with a field "file"',
    );
  }

  // Settles the upload at once on the first failure: a full disk, a limit, a second file.
  let failFast!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (failFast = reject));
  let written: Promise<{ sha1: string; size: number }> | undefined;
  let fileStream: Readable | undefined;
  let name = '';

  parser.on('file', (field, stream, info) => {
    if (field !== 'file' || written) {
      stream.resume();
      failFast(new HttpError('too_many_files', 'Send exactly one file, in the field "file"'));
      return;
    }
    name = info.filename ?? '';
    fileStream = stream;
    stream.on('limit', () => failFast(tooLarge()));
    written = writeDigested(stream, tempPath, { algorithm: 'sha1' }).then(({ digest, size }) => ({
      sha1: digest.toString('hex'),
      size,
    }));
    // A write that fails (ENOSPC) stops the parser from reading on: answer now, not never.
    written.catch(failFast);
  });
  parser.on('filesLimit', () =>
    failFast(new HttpError('too_many_files', 'Send exactly one file, in the field "file"')),
  );
  for (const event of ['fieldsLimit', 'partsLimit']) {
    parser.on(event, () => failFast(new HttpError('invalid_request', 'Too many form fields')));
  }

  const parsed = pipeline(bodyOf(req), parser).catch(() => {
    throw new HttpError('invalid_request', 'The multipart body is malformed or was cut off');
  });
  try {
    await Promise.race([parsed, failed]);
    if (!written)
      throw new HttpError('missing_file', 'Send the file in the multipart field "file"');
    const { sha1, size } = await Promise.race([written, failed]);
    return { name: parse(FileName, name, 'name'), tempPath, sha1, size };
  } catch (err) {
    parser.destroy(); // ends the pipeline; `req` stays open for the answer (http/request-body.ts)
    fileStream?.destroy(new Error('upload abandoned'));
    // Let the write stream close before removing its file.
    await Promise.all([parsed.catch(() => undefined), written?.catch(() => undefined)]);
    await rm(tempPath, { force: true });
    throw err;
  }
}
