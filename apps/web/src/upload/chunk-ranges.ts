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

/** The chunk's bytes, as a lazy slice: nothing is read until it is hashed or sent. */
export const sliceChunk = (file: Blob, layout: ChunkLayout, index: number) =>
  file.slice(chunkStart(layout, index), chunkEnd(layout, index));

/** Every index not in `received`, ascending. */
export function missingChunks(chunkCount: number, received: Iterable<number>): number[] {
  const have = new Set(received);
  const missing: number[] = [];
  for (let index = 0; index < chunkCount; index += 1) if (!have.has(index)) missing.push(index);
  return missing;
}

/** Bytes of the chunks in `indexes` (each counted once). */
export function bytesOf(layout: ChunkLayout, indexes: Iterable<number>): number {
  let bytes = 0;
  for (const index of new Set(indexes)) bytes += chunkLength(layout, index);
  return bytes;
}
