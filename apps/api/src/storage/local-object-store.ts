// The `local` driver: objects as files under a root directory, written to a temp name and renamed.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../ids.ts';
import { pathInside } from './paths.ts';
import {
  ObjectNotFound,
  type ByteRange,
  type ObjectInfo,
  type ObjectStore,
} from './object-store.ts';

export class LocalObjectStore implements ObjectStore {
  readonly driver = 'local';

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return pathInside(this.root, key);
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${newId()}.part`;
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      const written = (await stat(temp)).size;
      if (written !== size) throw new Error(`${key}: received ${written} bytes, expected ${size}`);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (!(await this.head(key))) throw new ObjectNotFound(key);
    return createReadStream(this.pathOf(key), range);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? { size: info.size } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async signedUrl(): Promise<string> {
    throw new Error(
      'the local store has no signed URLs: downloads go through the API (DOWNLOAD_MODE=proxy)',
    );
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }
}
