// Test files on disk: random bytes written by the test itself, removed after. Written and hashed
// in blocks, so a 200 MB file costs the test process one block of memory, not 200 MB.
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface TestFile {
  name: string;
  path: string;
  size: number;
  sha1: string;
}

const BLOCK_BYTES = 4 * 1024 * 1024;

export const sha1Of = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

export async function sha1OfFile(file: string): Promise<string> {
  const sha1 = createHash('sha1');
  for await (const block of createReadStream(file, { highWaterMark: BLOCK_BYTES })) {
    sha1.update(block as Buffer);
  }
  return sha1.digest('hex');
}

/** `size` random bytes in blocks, each also fed to `sha1`. */
function* randomBlocks(size: number, sha1: ReturnType<typeof createHash>) {
  for (let left = size; left > 0; left -= BLOCK_BYTES) {
    const block = randomFillSync(Buffer.allocUnsafe(Math.min(left, BLOCK_BYTES)));
    sha1.update(block);
    yield block;
  }
}

/** A scratch directory with helpers to write random files into it. */
export async function scratchFiles() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'filestore-e2e-files-'));
  return {
    async random(name: string, size: number): Promise<TestFile> {
      const file = path.join(dir, name);
      const sha1 = createHash('sha1');
      await pipeline(Readable.from(randomBlocks(size, sha1)), createWriteStream(file));
      return { name, path: file, size, sha1: sha1.digest('hex') };
    },
    /** A small file with exactly this content (text for the viewer, a picture). */
    async write(name: string, content: string | Uint8Array): Promise<TestFile> {
      const file = path.join(dir, name);
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      await writeFile(file, bytes);
      return { name, path: file, size: bytes.length, sha1: sha1Of(bytes) };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
