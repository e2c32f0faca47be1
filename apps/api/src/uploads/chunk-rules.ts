// How a file is cut into chunks. Chunks map 1:1 onto OSS/S3 multipart parts, which allow at most
// 10,000 parts, so the chunk size grows for very large files.
export const MAX_CHUNKS = 10_000;

export function chunkSizeFor(size: number, defaultChunkSize: number): number {
  return Math.max(defaultChunkSize, Math.ceil(size / MAX_CHUNKS));
}

export function chunkCountFor(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/** The exact size chunk `index` must have: the last one holds the remainder. */
export function expectedChunkSize(index: number, size: number, chunkSize: number): number {
  return Math.min(chunkSize, size - index * chunkSize);
}

/** Whole chunks, and chunks held in part (a PUT cut off mid-way). */
export function heldOf(held: { index: number; size: number; received: number }[]) {
  return {
    uploaded: held.filter((chunk) => chunk.received === chunk.size).map((chunk) => chunk.index),
    partial: held
      .filter((chunk) => chunk.received < chunk.size)
      .map((chunk) => ({ index: chunk.index, bytes: chunk.received })),
  };
}

export function missingChunks(chunkCount: number, received: Iterable<number>): number[] {
  const have = new Set(received);
  const missing: number[] = [];
  for (let index = 0; index < chunkCount; index++) if (!have.has(index)) missing.push(index);
  return missing;
}
