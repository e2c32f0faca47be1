// The browser half of the Uppy anchor in bench/ui-upload.mjs: a file picked in #file goes through
// @uppy/core + @uppy/tus (8 MiB chunks, the plugin's defaults otherwise) to the @tus/server that
// serves this page under /files/. The page notes when the input changed and when Uppy finished,
// in epoch milliseconds (the bench lines them up with Playwright's request events). It also holds
// the browser's raw read rate: a worker that only reads a picked file by slices.
import Uppy from '@uppy/core';
import Tus from '@uppy/tus';

const MiB = 1024 * 1024;
const now = () => performance.timeOrigin + performance.now();

const times: { picked?: number; sending?: number; done?: number; error?: string } = {};
const uppy = new Uppy().use(Tus, {
  endpoint: '/files/',
  chunkSize: 8 * MiB,
  retryDelays: [], // a bench run fails loudly rather than retrying
});
uppy.on('upload-progress', () => (times.sending ??= now()));

const input = document.getElementById('file') as HTMLInputElement;
input.addEventListener('change', () => {
  times.picked = now();
  const file = input.files?.[0];
  if (!file) return;
  uppy.addFile({ name: file.name, type: file.type, data: file, source: 'Local' });
  uppy.upload().then(
    (result) => {
      if (result?.failed?.length) times.error = String(result.failed[0].error);
      else times.done = now();
    },
    (err: unknown) => (times.error = String(err)),
  );
});

/** Reads the picked file by `sliceMiB` slices in a worker, nothing else; resolves with seconds. */
function rawReadInWorker(sliceMiB: number): Promise<number> {
  const file = input.files?.[0];
  if (!file) throw new Error('no file picked');
  const worker = new Worker(new URL('./read-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<number>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<{ ms: number; bytes: number }>) =>
      data.bytes === file.size
        ? resolve(data.ms / 1000)
        : reject(new Error(`read ${data.bytes} of ${file.size} bytes`));
    worker.postMessage({ file, slice: sliceMiB * MiB });
  }).finally(() => worker.terminate());
}

declare global {
  interface Window {
    uppyTimes: typeof times;
    rawReadInWorker: typeof rawReadInWorker;
  }
}
window.uppyTimes = times;
window.rawReadInWorker = rawReadInWorker;
