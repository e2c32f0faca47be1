// Large random input files on disk, reused between runs (generating 1 GiB takes a while).
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { MiB, sizeLabel } from './measure.mjs';
import { BENCH_TMP } from './paths.mjs';

/** A random file of exactly `size` bytes at BENCH_TMP/<name>; kept for the next run. */
export async function ensureRandomFile(name, size) {
  await mkdir(BENCH_TMP, { recursive: true });
  const file = path.join(BENCH_TMP, name);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.size === size) return file;
  const out = createWriteStream(file);
  const block = Buffer.alloc(8 * MiB);
  for (let written = 0; written < size; written += block.length) {
    randomFillSync(block);
    const part = block.subarray(0, Math.min(block.length, size - written));
    if (!out.write(part)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** A fresh scratch directory on the bench disk; call the returned remove() when done. */
export async function scratchDir(prefix) {
  await mkdir(BENCH_TMP, { recursive: true });
  const dir = await mkdtemp(path.join(BENCH_TMP, `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Removes the bench directory itself once nothing is kept in it. */
export const tidyBenchTmp = () => rmdir(BENCH_TMP).catch(() => undefined);

/**
 * Runs fn(file) with a random input of `size` bytes (BENCH_TMP/random-<size>.bin, so benches share
 * it); removes it afterwards unless `keepInputs`.
 */
export async function withRandomInput(size, keepInputs, fn) {
  const file = await ensureRandomFile(`random-${sizeLabel(size)}.bin`, size);
  try {
    return await fn(file);
  } finally {
    if (!keepInputs) await rm(file, { force: true });
    await tidyBenchTmp();
  }
}

/** Runs fn(dir) with a fresh scratch directory, removed afterwards. */
export async function withScratchDir(prefix, fn) {
  const scratch = await scratchDir(prefix);
  try {
    return await fn(scratch.dir);
  } finally {
    await scratch.remove();
    await tidyBenchTmp();
  }
}
