// The one owner of staged upload bytes: one file per upload, `STAGING_DIR/<uploadId>`, into which
// every chunk is written in place at its offset (positioned writes), so there is no per-chunk file
// and no assembly copy; complete links the file into the content store. Upload ids are random
// base64url strings checked by the contract, so they are safe file names.
import { constants, createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Read-back buffer: large reads from the page cache, still a small bound on memory. */
const READ_BUFFER_BYTES = 1024 * 1024;

export class UploadStaging {
  constructor(readonly root: string) {}

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  pathOf(uploadId: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(uploadId)) throw new Error(`bad upload id: ${uploadId}`);
    return path.join(this.root, uploadId);
  }

  /** The upload's file opened for positioned writes (created empty the first time). */
  async open(uploadId: string): Promise<FileHandle> {
    await mkdir(this.root, { recursive: true });
    return open(this.pathOf(uploadId), constants.O_RDWR | constants.O_CREAT, 0o600);
  }

  /** Bytes [start, end) of the upload's file, read back (normally from the page cache). */
  async *read(uploadId: string, start: number, end: number): AsyncGenerator<Buffer> {
    if (end <= start) return;
    yield* createReadStream(this.pathOf(uploadId), {
      start,
      end: end - 1,
      highWaterMark: READ_BUFFER_BYTES,
    });
  }

  /**
   * Puts the upload's bytes at `target` (a new name on the DATA_DIR volume) without copying them:
   * a hard link, so the staged file stays intact until the completion has committed. Only when
   * STAGING_DIR is on another volume are they copied.
   */
  async linkTo(uploadId: string, target: string): Promise<void> {
    await (await this.open(uploadId)).close(); // a zero-byte upload never wrote its file
    try {
      await link(this.pathOf(uploadId), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(this.pathOf(uploadId), target, constants.COPYFILE_FICLONE);
    }
  }

  async remove(uploadId: string): Promise<void> {
    await rm(this.pathOf(uploadId), { force: true });
  }

  /** Staging files older than `olderThanMs` whose id `isLive` does not know: left by a crash or a cancel. */
  async sweepOrphans(
    isLive: (uploadId: string) => Promise<boolean>,
    olderThanMs: number,
  ): Promise<number> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const info = await stat(path.join(this.root, name)).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < olderThanMs || (await isLive(name))) continue;
      await rm(path.join(this.root, name), { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }
}
