// Content-addressed blobs on local disk: `blobs/ab/cd/<sha1>`. Keys come from the SHA-1 only; a
// user's file name never reaches a path. Writes land in `tmp/` first and are renamed into place.
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../ids.ts';
import { pathInside } from './paths.ts';

const SHA1 = /^[0-9a-f]{40}$/;

export class LocalStore {
  readonly driver = 'local';
  private readonly blobsDir: string;
  private readonly tmpDir: string;
  private readonly trashDir: string;

  constructor(dataDir: string) {
    this.blobsDir = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(dataDir, 'tmp');
    this.trashDir = path.join(dataDir, 'trash');
  }

  async init(): Promise<void> {
    await Promise.all(
      [this.blobsDir, this.tmpDir, this.trashDir].map((dir) => mkdir(dir, { recursive: true })),
    );
  }

  keyFor(sha1: string): string {
    if (!SHA1.test(sha1)) throw new Error(`not a sha1: ${sha1}`);
    return `${sha1.slice(0, 2)}/${sha1.slice(2, 4)}/${sha1}`;
  }

  /** A fresh path in the staging area for an incoming upload. */
  newTempPath(): string {
    return path.join(this.tmpDir, `${newId()}.part`);
  }

  /** Moves a finished temp file into its content-addressed place (atomic rename on one disk). */
  async commit(tempPath: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tempPath, target);
  }

  read(key: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(key), range);
  }

  /** Moves a blob aside while the transaction that deletes its row is still open. */
  async trash(key: string): Promise<string> {
    const trashPath = path.join(this.trashDir, `${path.basename(key)}.${newId()}`);
    await rename(this.pathOf(key), trashPath);
    return trashPath;
  }

  async restore(trashPath: string, key: string): Promise<void> {
    await this.commit(trashPath, key);
  }

  async purge(trashPath: string): Promise<void> {
    await rm(trashPath, { force: true });
  }

  /** Removes staging and trash files left behind by a crash, older than `olderThanMs`. */
  async sweepLeftovers(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const dir of [this.tmpDir, this.trashDir]) {
      for (const name of await readdir(dir)) {
        const file = path.join(dir, name);
        const info = await stat(file).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > olderThanMs) {
          await rm(file, { force: true });
          removed += 1;
        }
      }
    }
    return removed;
  }

  private pathOf(key: string): string {
    return pathInside(this.blobsDir, key);
  }
}
