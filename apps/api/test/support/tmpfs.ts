// A small tmpfs of its own, so a test can fill a disk for real (ENOSPC) or start on a read-only one.
// Mounting needs root, as the tests run in CI.
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Tmpfs {
  dir: string;
  /** Writes a file until the disk is full to the last byte. */
  fill: () => Promise<void>;
  /** Removes that file. */
  unfill: () => Promise<void>;
  unmount: () => Promise<void>;
}

export async function mountTmpfs(
  sizeBytes: number,
  options: { readOnly?: boolean } = {},
): Promise<Tmpfs> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'filestore-tmpfs-'));
  const mode = options.readOnly ? 'ro,' : '';
  await run('mount', ['-t', 'tmpfs', '-o', `${mode}size=${sizeBytes}`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill: async () => {
      const file = await open(filler, 'a');
      try {
        for (let block = 1024 * 1024; block >= 512;) {
          await file.write(Buffer.alloc(block)).catch((err: NodeJS.ErrnoException) => {
            if (err.code !== 'ENOSPC') throw err;
            block /= 2;
          });
        }
      } finally {
        await file.close();
      }
    },
    unfill: () => rm(filler, { force: true }),
    unmount: async () => {
      await run('umount', [dir]);
      await rm(dir, { recursive: true });
    },
  };
}
