// Multipart uploads from a stream, shared by the oss and s3 drivers: the stream is cut into parts
// copied into a few reused buffers, at most `parallel` parts travel at once, and the part list is
// kept here (Aliyun advises against relying on ListParts; s3rver does not implement it). Reusing
// the buffers keeps memory at (parallel + 1) × partSize and leaves the garbage collector nothing
// to catch up with, however large the object.
import type { Readable } from 'node:stream';

export interface UploadedPart {
  number: number;
  etag: string;
}

export interface PartUploader {
  partSize: number;
  parallel: number;
  /** Sends one part; `data` is only valid until the returned promise settles. */
  uploadPart: (number: number, data: Buffer) => Promise<string>;
}

/** A fixed set of part-sized buffers, handed out and given back. */
class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly size: number) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

/** The stream's bytes in parts of `partSize` (the last shorter), each in a buffer of the pool. */
async function* partsOf(
  body: Readable,
  partSize: number,
  pool: BufferPool,
): AsyncGenerator<{ buffer: Buffer; length: number }> {
  let buffer = pool.take();
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    for (let offset = 0; offset < chunk.length;) {
      const copied = chunk.copy(buffer, length, offset, offset + partSize - length);
      length += copied;
      offset += copied;
      if (length === partSize) {
        yield { buffer, length };
        buffer = pool.take();
        length = 0;
      }
    }
  }
  if (length > 0) yield { buffer, length };
  else pool.give(buffer);
}

/** Uploads every part of `body`; rejects with the first part's failure once none is in flight. */
export async function uploadParts(body: Readable, uploader: PartUploader): Promise<UploadedPart[]> {
  const pool = new BufferPool(uploader.partSize);
  const done: UploadedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  try {
    let number = 0;
    for await (const { buffer, length } of partsOf(body, uploader.partSize, pool)) {
      if (failure) break;
      const partNumber = ++number;
      const upload: Promise<void> = uploader
        .uploadPart(partNumber, buffer.subarray(0, length))
        .then((etag) => void done.push({ number: partNumber, etag }))
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => {
          inFlight.delete(upload);
          pool.give(buffer);
        });
      inFlight.add(upload);
      if (inFlight.size >= uploader.parallel) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw failure;
  return done.sort((a, b) => a.number - b.number);
}
