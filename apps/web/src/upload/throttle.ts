// Coalesces many "something changed" requests into at most one `flush` per interval: the first
// request after a quiet interval flushes at once, later ones wait for the interval to end and are
// flushed together. The upload engine writes the store through one of these (~10 writes a
// second, however many files and chunks report progress).

export interface Throttle {
  /** Ask for a flush: now if the last one was at least an interval ago, else at the interval's end. */
  request(): void;
  /** Flush now if a flush is pending (before a status change must show, or in tests). */
  flushPending(): void;
}

export interface ThrottleClock {
  now: () => number;
  setTimeout: (run: () => void, ms: number) => unknown;
}

const realClock: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
};

export function createThrottle(
  flush: () => void,
  intervalMs: number,
  clock: ThrottleClock = realClock,
): Throttle {
  let lastFlushAt = -Infinity;
  let scheduled = false;
  let pending = false;

  const run = () => {
    scheduled = false;
    if (!pending) return;
    pending = false;
    lastFlushAt = clock.now();
    flush();
  };

  return {
    request() {
      pending = true;
      if (scheduled) return;
      const wait = lastFlushAt + intervalMs - clock.now();
      if (wait <= 0) return run();
      scheduled = true;
      clock.setTimeout(run, wait);
    },
    flushPending: run,
  };
}
