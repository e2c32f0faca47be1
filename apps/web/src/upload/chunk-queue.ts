// The one queue every chunk request of the page goes through: at most `concurrency` at once across
// all files, in the order they were queued; failures that may pass on a second try (see
// retry-policy.ts) wait with backoff and go again ahead of fresh work; an aborted signal drops a
// chunk wherever it is — waiting for a slot, in flight, or waiting to retry.
import { MAX_ATTEMPTS, backoffDelay, isRetryable } from './retry-policy.ts';
import { createSlots } from './slots.ts';

export const DEFAULT_CONCURRENCY = 4;

export interface ChunkQueueOptions {
  concurrency?: number;
  maxAttempts?: number;
  /** Milliseconds to wait after `attempt` failed attempts. */
  delay?: (attempt: number) => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface ChunkTaskOptions {
  signal: AbortSignal;
  /** Attempt `attempt` failed with `err`; the next one starts in `delayMs`. */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

export interface ChunkQueue {
  run<T>(task: (signal: AbortSignal) => Promise<T>, options: ChunkTaskOptions): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createChunkQueue({
  concurrency = DEFAULT_CONCURRENCY,
  maxAttempts = MAX_ATTEMPTS,
  delay = backoffDelay,
  sleep = abortableSleep,
}: ChunkQueueOptions = {}): ChunkQueue {
  const slots = createSlots(concurrency);

  async function attempt<T>(
    task: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
    retry: boolean,
  ): Promise<{ value: T } | { error: unknown }> {
    const release = await slots.acquire(signal, { front: retry });
    try {
      return { value: await task(signal) };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return { error };
    } finally {
      release();
    }
  }

  return {
    async run(task, { signal, onRetry }) {
      for (let tries = 1; ; tries += 1) {
        const outcome = await attempt(task, signal, tries > 1);
        if ('value' in outcome) return outcome.value;
        if (!isRetryable(outcome.error) || tries >= maxAttempts) throw outcome.error;
        const wait = delay(tries);
        onRetry?.(tries, wait, outcome.error);
        await sleep(wait, signal); // holds no slot: other chunks go on meanwhile
      }
    },
    get active() {
      return slots.active;
    },
    get waiting() {
      return slots.waiting;
    },
  };
}
