import { describe, expect, it } from 'vitest';
import type { ChunkState } from '../upload/upload-store.ts';
import { bucketChunks } from './chunk-buckets.ts';

describe('bucketChunks', () => {
  it('gives each chunk its own cell while they fit', () => {
    const states: ChunkState[] = ['done', 'sending', 'retrying', 'waiting'];
    expect(bucketChunks({ states, progress: { 1: 0.25 } }, 10)).toEqual([
      { first: 0, last: 0, state: 'done', fill: 1, sending: undefined },
      { first: 1, last: 1, state: 'sending', fill: 0.25, sending: 0.25 },
      { first: 2, last: 2, state: 'retrying', fill: 0, sending: undefined },
      { first: 3, last: 3, state: 'waiting', fill: 0, sending: undefined },
    ]);
  });

  it('folds thousands of chunks into even runs that cover every chunk once', () => {
    const states = new Array<ChunkState>(10_000).fill('waiting');
    const cells = bucketChunks({ states, progress: {} }, 96);
    expect(cells).toHaveLength(96);
    expect(cells[0]!.first).toBe(0);
    expect(cells.at(-1)!.last).toBe(9_999);
    for (let i = 1; i < cells.length; i += 1) expect(cells[i]!.first).toBe(cells[i - 1]!.last + 1);
    const sizes = cells.map((c) => c.last - c.first + 1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('shows a run by its most telling state and how much of it arrived', () => {
    const run = (states: ChunkState[], progress = {}) => bucketChunks({ states, progress }, 1)[0]!;
    expect(run(['done', 'done'])).toMatchObject({ state: 'done', fill: 1 });
    expect(run(['done', 'waiting'])).toMatchObject({ state: 'waiting', fill: 0.5 });
    expect(run(['done', 'sending', 'waiting', 'waiting'], { 1: 0.5 })).toMatchObject({
      state: 'sending',
      fill: 0.375,
      sending: 0.5,
    });
    expect(run(['sending', 'retrying'])).toMatchObject({ state: 'retrying' });
  });

  it('has no cells before the layout is known', () => {
    expect(bucketChunks({ states: [], progress: {} }, 96)).toEqual([]);
  });
});
