// The `local` driver: objects as files under `DATA_DIR/blobs`, with the same keys as in a bucket
// (`files/ab/cd/<sha1>`, see objectKeyFor). It is where every upload lands (staging) and, with
// STORAGE=local, where the bytes stay for good. Keys come from the SHA-1 only; a user's file name
// never reaches a path. Writes land in `tmp/` and are renamed into
// place, so a reader never sees half an object.
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../ids.ts';
import { exactly } from './exact-size.ts';
import {
  ObjectNotFound,
  type ByteRange,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrlOptions,
} from './object-store.ts';
import { pathInside } from './paths.ts';

export class LocalStore implements ObjectStore {
  readonly driver = 'local';
  readonly partSize = Number.POSITIVE_INFINITY;
  private readonly blobsDir: string;
  private readonly tmpDir: string;
  private readonly trashDir: string;

  constructor(dataDir: string) {
    this.blobsDir = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(dataDir, 'tmp');
    this.trashDir = path.join(dataDir, 'trash');
  }

  async check(): Promise<void> {
    await Promise.all(
      [this.blobsDir, this.tmpDir, this.trashDir].map((dir) => mkdir(dir, { recursive: true })),
    );
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

  async put(key: string, body: Readable, size: number): Promise<void> {
    const temp = this.newTempPath();
    try {
      await pipeline(exactly(body, size, key), createWriteStream(temp, { flags: 'wx' }));
      await this.commit(temp, key);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    // Opened before returning, so a missing file is an ObjectNotFound now, not a stream error later.
    const handle = await open(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new ObjectNotFound(key) : err;
    });
    return handle.createReadStream(range);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? { size: info.size } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  signedUrl(_key: string, _options: SignedUrlOptions): Promise<string> {
    return Promise.reject(
      new Error('the local store has no signed URLs: its bytes are always served by the API'),
    );
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
