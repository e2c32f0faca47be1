import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.ts';
import { createChunkQueue } from './chunk-queue.ts';
import type { ChunkState } from './upload-store.ts';

// The network and the MD5 worker are replaced; the queue and the chunk logic are real.
const sent: { index: number; size: number; md5: string }[] = [];
let answer: (index: number) => Promise<void> = () => Promise.resolve();
vi.mock('../api/put-chunk.ts', () => ({
  putChunk: (
    _id: string,
    index: number,
    bytes: Blob,
    o: { md5: string; signal: AbortSignal; onProgress: (n: number) => void },
  ) => {
    sent.push({ index, size: bytes.size, md5: o.md5 });
    o.onProgress(bytes.size / 2);
    return new Promise<void>((resolve, reject) => {
      o.signal.addEventListener('abort', () => reject(o.signal.reason));
      answer(index).then(resolve, reject);
    });
  },
}));
vi.mock('./md5-client.ts', () => ({ md5InWorker: async (b: Blob) => `md5-of-${b.size}` }));

const { sendChunks } = await import('./send-chunks.ts');

const tick = () => new Promise((r) => setTimeout(r, 0));
const layout = { size: 2_500, chunkSize: 1_000, chunkCount: 3 };
const target = { file: new File([new Uint8Array(2_500)], 'a.bin'), uploadId: 'u1', layout };

beforeEach(() => {
  sent.length = 0;
  answer = () => Promise.resolve();
});

describe('sendChunks', () => {
  it('sends each chunk with its size and MD5, reporting sending → done', async () => {
    const events: [number, ChunkState, number | undefined][] = [];
    await sendChunks(target, [0, 2], createChunkQueue(), {
      signal: new AbortController().signal,
      onChunk: (i, s, n) => events.push([i, s, n]),
    });
    expect(sent).toEqual([
      { index: 0, size: 1_000, md5: 'md5-of-1000' },
      { index: 2, size: 500, md5: 'md5-of-500' },
    ]);
    expect(events.filter(([i]) => i === 2)).toEqual([
      [2, 'sending', 0],
      [2, 'sending', 250],
      [2, 'done', undefined],
    ]);
  });

  it('stops the other chunks when one fails for good, and throws that failure', async () => {
    const refused = new ApiError(400, 'invalid_chunk', 'wrong size');
    answer = (index) => (index === 1 ? Promise.reject(refused) : new Promise(() => {}));
    const states = new Map<number, ChunkState>();
    await expect(
      sendChunks(target, [0, 1, 2], createChunkQueue({ concurrency: 2 }), {
        signal: new AbortController().signal,
        onChunk: (i, s) => states.set(i, s),
      }),
    ).rejects.toBe(refused);
    expect(sent.map((c) => c.index)).toEqual([0, 1]); // chunk 2 never started
    expect([...states.values()]).toEqual(['waiting', 'waiting', 'waiting']);
  });

  it('pause: nothing more is sent once the signal aborts', async () => {
    answer = () => new Promise(() => {}); // every request hangs until aborted
    const pause = new AbortController();
    const run = sendChunks(target, [0, 1, 2], createChunkQueue({ concurrency: 1 }), {
      signal: pause.signal,
      onChunk: () => {},
    });
    await tick();
    expect(sent.map((c) => c.index)).toEqual([0]);
    const reason = new DOMException('Paused', 'AbortError');
    pause.abort(reason);
    await expect(run).rejects.toBe(reason);
    await tick();
    expect(sent.map((c) => c.index)).toEqual([0]);
  });
});
