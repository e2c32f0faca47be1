// What the API process has read, from the kernel's own count (/proc/<pid>/io `rchar`: every byte
// read from sockets and files). The browser cannot tell us how big a File-backed request body was,
// but the server can only store bytes it has read.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The API's chunk size in this suite (playwright.config.ts sets CHUNK_SIZE): 2 MiB instead of the
 * default 8, so a 200 MB file has 96 chunks and the chunk strip shows one cell per chunk.
 */
export const CHUNK_SIZE = 2 * 1024 * 1024;

function apiPid(): number {
  const runDir = process.env.FILESTORE_E2E_DIR;
  if (!runDir) throw new Error('FILESTORE_E2E_DIR is not set: run through playwright.config.ts');
  return Number(readFileSync(path.join(runDir, 'api.pid'), 'utf8'));
}

function bytesReadSoFar(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^rchar: (\d+)$/m.exec(io)?.[1]);
}

/** Starts counting; read() gives the bytes the API has read since. */
export function countApiBytesRead(): { read: () => number } {
  const pid = apiPid();
  const start = bytesReadSoFar(pid);
  return { read: () => bytesReadSoFar(pid) - start };
}
