// Test files on disk: random bytes written by the test itself, removed after.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TestFile {
  name: string;
  path: string;
  size: number;
  sha1: string;
}

export const sha1Of = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

export const sha1OfFile = async (file: string): Promise<string> => sha1Of(await readFile(file));

/** A scratch directory with helpers to write random files into it. */
export async function scratchFiles() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'filestore-e2e-files-'));
  return {
    async random(name: string, size: number): Promise<TestFile> {
      const bytes = randomBytes(size);
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      return { name, path: file, size, sha1: sha1Of(bytes) };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
