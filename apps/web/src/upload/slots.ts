// A fixed number of slots handed out first come, first served (like Uppy's RateLimitedQueue):
// a waiter whose signal aborts leaves the line, and `front` lets a retry go before fresh work.

export type Release = () => void;

export interface Slots {
  /** Resolves with the function that gives the slot back; rejects with the signal's reason. */
  acquire(signal?: AbortSignal, options?: { front?: boolean }): Promise<Release>;
  /** Slots held right now. */
  readonly active: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

interface Waiter {
  grant: (release: Release) => void;
}

export function createSlots(limit: number): Slots {
  let active = 0;
  const line: Waiter[] = [];

  const makeRelease = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.shift();
      if (next)
        next.grant(makeRelease()); // the slot passes straight on: `active` is unchanged
      else active -= 1;
    };
  };

  return {
    acquire(signal, { front = false } = {}) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < limit) {
        active += 1;
        return Promise.resolve(makeRelease());
      }
      return new Promise<Release>((resolve, reject) => {
        const onAbort = () => {
          line.splice(line.indexOf(waiter), 1);
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        if (front) line.unshift(waiter);
        else line.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return line.length;
    },
  };
}
