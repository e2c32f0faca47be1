import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HashError } from './hash-error.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';
import { HASH_SLICE_BYTES, HASH_SLICES_IN_FLIGHT, handleHashRequests } from './hash-sha1.ts';
import { hashInWorker } from './hash-client.ts';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** Stands in for the browser's Worker: runs hash-worker.ts's handler in this thread. */
class FakeWorker {
  static last: FakeWorker;
  onmessage: ((event: { data: HashReply }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  terminated = false;
  /** Slices received and not yet hashed, most at once. */
  queued = 0;
  maxQueued = 0;
  hold = false; // keep slices queued until flush()
  private pending: HashRequest[] = [];
  private handle = handleHashRequests((data) => {
    if (!this.terminated) setTimeout(() => this.onmessage?.({ data }));
  });

  constructor() {
    FakeWorker.last = this;
  }

  postMessage(request: HashRequest, transfer: Transferable[] = []) {
    if (this.terminated) return;
    if (request.type === 'slice') expect(transfer).toEqual([request.bytes]);
    this.pending.push(request);
    this.queued += request.type === 'slice' ? 1 : 0;
    this.maxQueued = Math.max(this.maxQueued, this.queued);
    if (!this.hold) this.flush();
  }

  flush() {
    for (const request of this.pending.splice(0)) {
      if (request.type === 'slice') this.queued -= 1;
      void this.handle(request);
    }
  }

  terminate() {
    this.terminated = true;
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('hashInWorker', () => {
  it('hashes a multi-slice blob in the worker, with progress, and ends the worker', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const bytes = randomBytes(HASH_SLICES_IN_FLIGHT * HASH_SLICE_BYTES + 777);
    const progress: number[] = [];
    expect(await hashInWorker(new Blob([bytes]), (n) => progress.push(n))).toBe(sha1(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toHaveLength(HASH_SLICES_IN_FLIGHT + 1);
    expect(FakeWorker.last.terminated).toBe(true);
  });

  it('reads no further ahead than the in-flight limit while the worker is busy', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const blob = new Blob([new Uint8Array((HASH_SLICES_IN_FLIGHT + 2) * HASH_SLICE_BYTES)]);
    const hashing = hashInWorker(blob);
    const worker = FakeWorker.last;
    worker.hold = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.queued).toBe(HASH_SLICES_IN_FLIGHT);
    worker.hold = false;
    worker.flush();
    await hashing;
    expect(worker.maxQueued).toBe(HASH_SLICES_IN_FLIGHT);
  });

  it('stops the worker and rejects with the reason when aborted', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const controller = new AbortController();
    const hashing = hashInWorker(
      new Blob([new Uint8Array(5 * HASH_SLICE_BYTES)]),
      () => controller.abort(new Error('cancelled')),
      controller.signal,
    );
    await expect(hashing).rejects.toThrow('cancelled');
    expect(FakeWorker.last.terminated).toBe(true);
  });

  it('maps a failed read to HashError read_failed', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const unreadable = {
      size: 10,
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }),
    } as unknown as Blob;
    const error = await hashInWorker(unreadable).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HashError);
    expect((error as HashError).code).toBe('read_failed');
    expect(FakeWorker.last.terminated).toBe(true);
  });
});
