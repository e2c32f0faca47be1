import { describe, expect, it } from 'vitest';
import { createSpeedMeter, secondsLeft } from './speed-meter.ts';

describe('createSpeedMeter', () => {
  it('measures bytes per second over the recent window, following a slowdown', () => {
    let clock = 0;
    const speed = createSpeedMeter(() => clock);
    expect(speed(0)).toBe(0);
    let last = 0;
    for (clock = 500; clock <= 5000; clock += 500) last = speed(clock * 1000); // 1 MB/s
    expect(last).toBeCloseTo(1_000_000);
    for (; clock <= 12_000; clock += 500) last = speed(5_000_000 + (clock - 5000) * 100); // 100 KB/s
    expect(last).toBeCloseTo(100_000);
  });
});

describe('secondsLeft', () => {
  it('is unknown until there is a speed', () => {
    expect(secondsLeft(1_000, 0)).toBeUndefined();
    expect(secondsLeft(1_000, 300)).toBe(4);
  });
});
