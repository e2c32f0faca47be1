// DATA_DIR holds the SQLite database, the local blobs and every upload in progress: it must be a
// writable directory from the start, and keep room to spare.
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../ids.ts';

/**
 * Creates DATA_DIR when only its last part is missing (the default `./data` on a first start), and
 * proves it writable; a deeper missing path is more likely a typo or a volume that was not mounted.
 * Rejects with the reason in one line.
 */
export async function checkDataDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-test-${newId()}`);
  try {
    await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new Error(`${dir} is not a writable directory (${code ?? message})`, { cause: err });
  }
}

/** Bytes an unprivileged writer may still use on the file system of `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const { bavail, bsize } = await statfs(dir);
  return bavail * bsize;
}
