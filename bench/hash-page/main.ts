// The browser half of bench/hash-browser.mjs: each function reads the picked file once and reports
// how long it took. The worker run is the web app's own hashing code, imported from apps/web.
import SparkMD5 from 'spark-md5';
import { hashInWorker } from '../../apps/web/src/upload/hash-client.ts';

export interface Run {
  ms: number;
  digest: string;
}

const MiB = 1024 * 1024;
// Chromium reads a File much faster in big slices (measured: ~240 MiB/s at 1 MiB, ~700+ at 64 MiB).
const CEILING_SLICE = 64 * MiB;
// spark-md5's documented usage reads 2 MB slices.
const SPARK_SLICE = 2 * MiB;

function pickedFile(): File {
  const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file picked');
  return file;
}

async function eachSlice(
  file: File,
  size: number,
  use: (slice: ArrayBuffer) => void,
): Promise<void> {
  for (let offset = 0; offset < file.size; offset += size) {
    use(await file.slice(offset, offset + size).arrayBuffer());
  }
}

async function timed(run: (file: File) => Promise<string>): Promise<Run> {
  const file = pickedFile();
  const start = performance.now();
  const digest = await run(file);
  return { ms: performance.now() - start, digest };
}

const benches = {
  /** The ceiling: File.slice + arrayBuffer over the whole file, no hashing. */
  rawRead: () =>
    timed(async (file) => {
      let bytes = 0;
      await eachSlice(file, CEILING_SLICE, (slice) => (bytes += slice.byteLength));
      return String(bytes);
    }),
  /** The hashing ceiling: hash-wasm SHA-1 over as many bytes from memory, in a worker. */
  hashOnly: () => {
    const worker = new Worker(new URL('./hash-only-worker.ts', import.meta.url), {
      type: 'module',
    });
    return new Promise<Run>((resolve) => {
      worker.onmessage = ({ data }: MessageEvent<Run>) => resolve(data);
      worker.postMessage(pickedFile().size);
    }).finally(() => worker.terminate());
  },
  /** The web app's hashing, in its Web Worker. */
  worker: () => timed((file) => hashInWorker(file, () => undefined)),
  /** The classic alternative: spark-md5's incremental ArrayBuffer hashing on the page. */
  sparkMd5: () =>
    timed(async (file) => {
      const md5 = new SparkMD5.ArrayBuffer();
      await eachSlice(file, SPARK_SLICE, (slice) => md5.append(slice));
      return md5.end();
    }),
};

declare global {
  interface Window {
    benches: typeof benches;
  }
}
window.benches = benches;
