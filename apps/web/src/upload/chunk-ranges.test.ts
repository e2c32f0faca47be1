import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  chunkEnd,
  chunkLength,
  chunkStart,
  missingChunks,
  sliceChunk,
} from './chunk-ranges.ts';

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

  it('slices a Blob lazily to exactly the chunk', async () => {
    const bytes = new Uint8Array(layout.size).map((_, i) => i % 251);
    const chunk = sliceChunk(new Blob([bytes]), layout, 2);
    expect(new Uint8Array(await chunk.arrayBuffer())).toEqual(bytes.subarray(8_192));
  });

  it('lists missing chunks in order, and counts bytes of a set once each', () => {
    expect(missingChunks(5, [3, 0, 3])).toEqual([1, 2, 4]);
    expect(missingChunks(0, [])).toEqual([]);
    expect(bytesOf(layout, [2, 0, 2])).toBe(4_096 + 2_308);
  });
});
