import { describe, expect, it } from 'vitest';
import { createThrottle } from './throttle.ts';

function fakeClock() {
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => void timers.push({ at: now + ms, run }),
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
    },
  };
}

describe('createThrottle', () => {
  it('flushes the first request at once and coalesces the rest to one per interval', () => {
    const clock = fakeClock();
    let flushes = 0;
    const throttle = createThrottle(() => (flushes += 1), 100, clock);
    throttle.request();
    expect(flushes).toBe(1);
    // A storm: 1,000 progress events within 250 ms.
    for (let i = 0; i < 1000; i += 1) {
      throttle.request();
      if (i % 4 === 0) clock.advance(1);
    }
    expect(flushes).toBe(3); // at 0, 100 and 200 ms
    clock.advance(100);
    expect(flushes).toBe(4); // the trailing flush carries the last requests
    clock.advance(1000);
    expect(flushes).toBe(4); // nothing pending, nothing flushed
  });

  it('flushPending writes what is pending now, and only that', () => {
    const clock = fakeClock();
    let flushes = 0;
    const throttle = createThrottle(() => (flushes += 1), 100, clock);
    throttle.request();
    throttle.request();
    throttle.flushPending();
    expect(flushes).toBe(2);
    throttle.flushPending();
    clock.advance(200);
    expect(flushes).toBe(2);
  });
});
