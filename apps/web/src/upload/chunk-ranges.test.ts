import { describe, expect, it } from 'vitest';
import { chunkEnd, chunkLength, chunkStart } from './chunk-ranges.ts';

const layout = { size: 10_500, chunkSize: 4_096, chunkCount: 3 };

describe('chunk ranges', () => {
  it('covers [i × chunkSize, min(size, (i + 1) × chunkSize)), the last chunk short', () => {
    expect([0, 1, 2].map((i) => [chunkStart(layout, i), chunkEnd(layout, i)])).toEqual([
      [0, 4_096],
      [4_096, 8_192],
      [8_192, 10_500],
    ]);
    expect(chunkLength(layout, 2)).toBe(2_308);
  });

  it('has exactly full chunks when the size divides evenly, and one chunk for a small file', () => {
    expect(chunkLength({ size: 8_192, chunkSize: 4_096, chunkCount: 2 }, 1)).toBe(4_096);
    expect(chunkLength({ size: 10, chunkSize: 4_096, chunkCount: 1 }, 0)).toBe(10);
  });
});
