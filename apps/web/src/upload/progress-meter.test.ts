import { describe, expect, it } from 'vitest';
import { createProgressMeter } from './progress-meter.ts';

describe('createProgressMeter', () => {
  it('reports at most every 100 ms, with the speed over the recent window', () => {
    let clock = 0;
    const reports: [number, number][] = [];
    const meter = createProgressMeter(
      (done, speed) => reports.push([done, speed]),
      () => clock,
    );

    meter(0); // first report: nothing measured yet
    clock = 50;
    meter(50_000); // throttled
    clock = 100;
    meter(100_000);
    clock = 150;
    meter(150_000); // throttled
    clock = 1000;
    meter(1_000_000);

    expect(reports).toEqual([
      [0, 0],
      [100_000, 1_000_000],
      [1_000_000, 1_000_000],
    ]);
  });

  it('forgets samples older than the window, so the speed follows a slowdown', () => {
    let clock = 0;
    const reports: number[] = [];
    const meter = createProgressMeter(
      (_, speed) => reports.push(speed),
      () => clock,
    );
    for (; clock <= 3000; clock += 500) meter(clock * 1000); // 1 MB/s
    for (; clock <= 8000; clock += 500) meter(3_000_000 + (clock - 3000) * 100); // 100 KB/s
    expect(reports[6]).toBeCloseTo(1_000_000);
    expect(reports.at(-1)).toBeCloseTo(100_000);
  });
});
