// Which bytes each chunk covers, as the contract fixes them: chunk i is
// [i × chunkSize, min(size, (i + 1) × chunkSize)).

export interface ChunkLayout {
  size: number;
  chunkSize: number;
  chunkCount: number;
}

export function chunkStart(layout: ChunkLayout, index: number): number {
  return index * layout.chunkSize;
}

export function chunkEnd(layout: ChunkLayout, index: number): number {
  return Math.min(layout.size, (index + 1) * layout.chunkSize);
}

export const chunkLength = (layout: ChunkLayout, index: number) =>
  chunkEnd(layout, index) - chunkStart(layout, index);
