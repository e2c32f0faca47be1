import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../api/client.ts';
import { createChunkQueue } from './chunk-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A fake chunk sender: each call waits until the test settles it, and honours abort like XHR. */
function fakeSender() {
  const inFlight = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  const started: number[] = [];
  let maxInFlight = 0;
  const send = (index: number) => (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      started.push(index);
      inFlight.set(index, { resolve, reject });
      maxInFlight = Math.max(maxInFlight, inFlight.size);
      signal.addEventListener('abort', () => reject(signal.reason));
    }).finally(() => inFlight.delete(index));
  return {
    send,
    started,
    inFlight,
    get maxInFlight() {
      return maxInFlight;
    },
    finish: (index: number) => inFlight.get(index)!.resolve(),
    fail: (index: number, err: unknown) => inFlight.get(index)!.reject(err),
  };
}

const noSleep = () => Promise.resolve();

describe('createChunkQueue', () => {
  it('sends at most `concurrency` chunks at once, in the order they were queued', async () => {
    const queue = createChunkQueue({ concurrency: 4, sleep: noSleep });
    const sender = fakeSender();
    const { signal } = new AbortController();
    const all = Promise.all(
      Array.from({ length: 10 }, (_, i) => queue.run(sender.send(i), { signal })),
    );
    await tick();
    expect(sender.started).toEqual([0, 1, 2, 3]);
    expect(queue.waiting).toBe(6);
    for (let i = 0; i < 10; i += 1) {
      sender.finish(i);
      await tick();
    }
    await all;
    expect(sender.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sender.maxInFlight).toBe(4);
    expect(queue.active).toBe(0);
  });

  it('shares the limit between files, first queued first served', async () => {
    const queue = createChunkQueue({ concurrency: 2, sleep: noSleep });
    const sender = fakeSender();
    const a = new AbortController().signal;
    const b = new AbortController().signal;
    const runs = [
      ...[0, 1, 2].map((i) => queue.run(sender.send(i), { signal: a })),
      ...[100, 101].map((i) => queue.run(sender.send(i), { signal: b })),
    ];
    await tick();
    expect(sender.started).toEqual([0, 1]);
    sender.finish(0);
    sender.finish(1);
    await tick();
    expect(sender.started).toEqual([0, 1, 2, 100]);
    sender.finish(2);
    sender.finish(100);
    await tick();
    sender.finish(101);
    await Promise.all(runs);
  });

  it('pause: aborts the chunks in flight, never starts the queued ones, frees the slots', async () => {
    const queue = createChunkQueue({ concurrency: 2, sleep: noSleep });
    const sender = fakeSender();
    const paused = new AbortController();
    const other = new AbortController();
    const runs = [0, 1, 2, 3].map((i) =>
      queue.run(sender.send(i), { signal: paused.signal }).catch((e: unknown) => e),
    );
    const otherFile = queue.run(sender.send(50), { signal: other.signal });
    await tick();
    const reason = new DOMException('Paused', 'AbortError');
    paused.abort(reason);
    expect(await Promise.all(runs)).toEqual([reason, reason, reason, reason]);
    await tick();
    // Nothing more of the paused file started; the other file got a slot at once.
    expect(sender.started).toEqual([0, 1, 50]);
    sender.finish(50);
    await otherFile;
    expect([queue.active, queue.waiting]).toEqual([0, 0]);
  });

  it('retries network errors, 5xx and 429 with growing delays, then succeeds', async () => {
    const delays: number[] = [];
    const queue = createChunkQueue({
      concurrency: 1,
      delay: (attempt) => attempt * 100,
      sleep: async (ms) => void delays.push(ms),
    });
    const failures = [
      networkError(),
      new ApiError(503, 'http_503', ''),
      new ApiError(429, 'x', ''),
    ];
    let calls = 0;
    const retried: number[] = [];
    const result = await queue.run(
      async () => {
        calls += 1;
        if (failures.length > 0) throw failures.shift();
        return 'stored';
      },
      { signal: new AbortController().signal, onRetry: (attempt) => retried.push(attempt) },
    );
    expect([result, calls, retried, delays]).toEqual(['stored', 4, [1, 2, 3], [100, 200, 300]]);
  });

  it('never retries other 4xx, and gives up after maxAttempts', async () => {
    const queue = createChunkQueue({ concurrency: 1, maxAttempts: 3, sleep: noSleep });
    const signal = new AbortController().signal;
    let calls = 0;
    const digest = new ApiError(400, 'bad_digest', 'mismatch');
    await expect(
      queue.run(
        async () => {
          calls += 1;
          throw digest;
        },
        { signal },
      ),
    ).rejects.toBe(digest);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      queue.run(
        async () => {
          calls += 1;
          throw networkError();
        },
        { signal },
      ),
    ).rejects.toMatchObject({ code: 'network_error' });
    expect(calls).toBe(3);
  });

  it('a pause during the backoff wait stops the retry', async () => {
    const queue = createChunkQueue({ concurrency: 1, delay: () => 60_000 });
    const pause = new AbortController();
    let calls = 0;
    const run = queue.run(
      async () => {
        calls += 1;
        throw networkError();
      },
      { signal: pause.signal },
    );
    await tick();
    pause.abort(new Error('paused'));
    await expect(run).rejects.toThrow('paused');
    expect(calls).toBe(1);
  });

  it('a retry waits without a slot, then goes ahead of chunks that have not started', async () => {
    const queue = createChunkQueue({ concurrency: 1, sleep: noSleep });
    const sender = fakeSender();
    const signal = new AbortController().signal;
    const runs = [0, 1, 2].map((i) => queue.run(sender.send(i), { signal }));
    await tick();
    sender.fail(0, networkError());
    await tick();
    expect(sender.started).toEqual([0, 1]); // chunk 1 used the slot while 0 backed off
    sender.finish(1);
    await tick();
    expect(sender.started).toEqual([0, 1, 0]);
    sender.finish(0);
    await tick();
    sender.finish(2);
    await Promise.all(runs);
    expect(sender.started).toEqual([0, 1, 0, 2]);
  });
});
