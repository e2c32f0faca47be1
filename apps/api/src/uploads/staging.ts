// Chunks wait on the staging volume (`DATA_DIR/uploads/<uploadId>/<index>`) until complete. Upload
// ids are random base64url strings checked by the contract, so they are safe path components.
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../ids.ts';

export class ChunkStaging {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'uploads');
  }

  private dirOf(uploadId: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(uploadId)) throw new Error(`bad upload id: ${uploadId}`);
    return path.join(this.root, uploadId);
  }

  chunkPath(uploadId: string, index: number): string {
    return path.join(this.dirOf(uploadId), String(index));
  }

  /** A unique temp name beside the chunk, so racing PUTs of one chunk never share a file. */
  async tempChunkPath(uploadId: string, index: number): Promise<string> {
    await mkdir(this.dirOf(uploadId), { recursive: true });
    return `${this.chunkPath(uploadId, index)}.${newId()}.part`;
  }

  /** Atomically replaces the chunk: a repeated PUT leaves one whole, verified chunk. */
  async commit(tempPath: string, uploadId: string, index: number): Promise<void> {
    await rename(tempPath, this.chunkPath(uploadId, index));
  }

  /** The chunks in order, as one stream of buffers. */
  async *readAll(uploadId: string, chunkCount: number): AsyncGenerator<Buffer> {
    for (let index = 0; index < chunkCount; index++) {
      yield* createReadStream(this.chunkPath(uploadId, index), { highWaterMark: 1024 * 1024 });
    }
  }

  async remove(uploadId: string): Promise<void> {
    await rm(this.dirOf(uploadId), { recursive: true, force: true });
  }

  /** Upload folders older than `olderThanMs` whose id `isLive` does not know: left by a crash or a cancel. */
  async sweepOrphans(
    isLive: (uploadId: string) => Promise<boolean>,
    olderThanMs: number,
  ): Promise<number> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const info = await stat(path.join(this.root, name)).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < olderThanMs || (await isLive(name))) continue;
      await this.remove(name);
      removed += 1;
    }
    return removed;
  }
}
