// Folds any number of chunks into at most `maxCells` cells for the chunk strip: one cell per chunk
// while they fit, else each cell covers an even run of chunks and shows their combined state.
import type { ChunkState, ChunkView } from '../upload/upload-store.ts';

export interface ChunkCell {
  first: number;
  last: number;
  /** retrying if any chunk is, else sending if any is, else done if all are, else waiting. */
  state: ChunkState;
  /** Share (0–1) of the cell's chunks received, counting the sent part of sending ones. */
  fill: number;
  /** Share (0–1) sent of the cell's sending chunks, or undefined when none is sending. */
  sending?: number;
}

export function bucketChunks({ states, progress }: ChunkView, maxCells: number): ChunkCell[] {
  const count = states.length;
  const cells = Math.min(count, maxCells);
  const result: ChunkCell[] = [];
  for (let cell = 0; cell < cells; cell += 1) {
    const first = Math.floor((cell * count) / cells);
    const end = Math.floor(((cell + 1) * count) / cells);
    let done = 0;
    let sendingCount = 0;
    let sent = 0;
    let retrying = false;
    for (let index = first; index < end; index += 1) {
      const state = states[index];
      if (state === 'done') done += 1;
      else if (state === 'retrying') retrying = true;
      else if (state === 'sending') {
        sendingCount += 1;
        sent += progress[index] ?? 0;
      }
    }
    const size = end - first;
    const state: ChunkState = retrying
      ? 'retrying'
      : sendingCount > 0
        ? 'sending'
        : done === size
          ? 'done'
          : 'waiting';
    result.push({
      first,
      last: end - 1,
      state,
      fill: (done + sent) / size,
      sending: sendingCount > 0 ? sent / sendingCount : undefined,
    });
  }
  return result;
}
