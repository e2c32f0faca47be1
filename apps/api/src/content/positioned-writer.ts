// Writes a stream's buffers one after another into a file from a start position. While one write
// runs, the buffers that arrive meanwhile are queued and go out together in the next `writev`, so
// the body keeps flowing instead of waiting for every 64 KiB write (bounded by QUEUE_LIMIT_BYTES).
import type { FileHandle } from 'node:fs/promises';

const QUEUE_LIMIT_BYTES = 1024 * 1024;

export class PositionedWriter {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private flight: Promise<void> | undefined;
  private failure: unknown;
  /** Bytes written to the file so far. */
  written = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly start: number,
  ) {}

  /** Queues `bytes`; waits only when the queue is full, and fails with an earlier write's error. */
  async push(bytes: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.flight ??= this.drain();
    if (this.queuedBytes >= QUEUE_LIMIT_BYTES) await this.flush();
  }

  /** Waits until everything queued is written; an error of any write is thrown here. */
  async flush(): Promise<void> {
    while (this.flight) await this.flight;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        await this.writeAll(batch);
      }
    } catch (err) {
      this.failure = err;
    } finally {
      this.flight = undefined;
    }
  }

  private async writeAll(batch: Buffer[]): Promise<void> {
    let pending = batch;
    while (pending.length > 0) {
      const { bytesWritten } = await this.file.writev(pending, this.start + this.written);
      this.written += bytesWritten;
      this.queuedBytes -= bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }
}

/** The buffers without their first `count` bytes (a short write). */
function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return rest;
}
