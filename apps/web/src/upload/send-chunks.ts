// Sends chunks of one file through the shared chunk queue: each chunk's MD5 is computed in the
// worker right before it goes, so only the chunks in flight are ever read into memory. If one
// chunk fails for good, the file's other chunks stop too and the first failure is thrown.
import { putChunk } from '../api/put-chunk.ts';
import { type ChunkLayout, sliceChunk } from './chunk-ranges.ts';
import type { ChunkQueue } from './chunk-queue.ts';
import { md5InWorker } from './md5-client.ts';
import { isRetryable } from './retry-policy.ts';
import type { ChunkState } from './upload-store.ts';

export interface ChunkTarget {
  file: File;
  uploadId: string;
  layout: ChunkLayout;
}

/** A chunk changed state; `sentBytes` counts its bytes sent so far while `sending`. */
export type ChunkReport = (index: number, state: ChunkState, sentBytes?: number) => void;

export async function sendChunks(
  target: ChunkTarget,
  indexes: readonly number[],
  queue: ChunkQueue,
  { signal, onChunk }: { signal: AbortSignal; onChunk: ChunkReport },
): Promise<void> {
  const { file, uploadId, layout } = target;
  const stopAll = new AbortController();
  const stop = AbortSignal.any([signal, stopAll.signal]);

  const sendOne = async (index: number) => {
    try {
      await queue.run(
        async (attemptSignal) => {
          onChunk(index, 'sending', 0);
          const bytes = sliceChunk(file, layout, index);
          const md5 = await md5InWorker(bytes);
          attemptSignal.throwIfAborted(); // paused while hashing: send nothing
          try {
            await putChunk(uploadId, index, bytes, {
              md5,
              signal: attemptSignal,
              onProgress: (sent) => onChunk(index, 'sending', sent),
            });
          } catch (err) {
            // A final refusal stops the file's other chunks before this slot passes to one.
            if (!isRetryable(err) && !attemptSignal.aborted) stopAll.abort(err);
            throw err;
          }
        },
        { signal: stop, onRetry: () => onChunk(index, 'retrying') },
      );
      onChunk(index, 'done');
    } catch (err) {
      onChunk(index, 'waiting');
      stopAll.abort(err); // retries used up, or the MD5 could not be computed
      throw err;
    }
  };

  // Settled, not all: return only once no request of this file is in flight any more.
  await Promise.allSettled(indexes.map(sendOne));
  signal.throwIfAborted();
  // The first failure is the cause (the other chunks only stopped because of it).
  if (stopAll.signal.aborted) throw stopAll.signal.reason;
}
