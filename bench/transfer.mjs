// Transfer to object storage (issue 4): 100 random files of 10 MB and one of 1 GiB moved to s3rver
// through the RabbitMQ queue by the transfer worker process, beside, in the same run, a direct
// copy of the same files with the AWS SDK (lib-storage Upload, the app's part size and queue
// size, 2 files at a time like the worker). s3rver runs in a child process; fresh bucket, DATA_DIR
// and AMQP namespace for every attempt; every attempt's bucket is checked object by object.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { AMQP_URL, openNamespace } from './lib/amqp-namespace.mjs';
import { newUserToken, startApi } from './lib/api-server.mjs';
import { cpuSeconds } from './lib/cpu.mjs';
import {
  fastest,
  mib,
  MiB,
  mibPerSecond,
  printTable,
  rate,
  roundRobin,
  timed,
  verdict,
} from './lib/measure.mjs';
import { uploadForm } from './lib/multipart.mjs';
import { BENCH_TMP, REPO_ROOT } from './lib/paths.mjs';
import { currentRss, sampleRss, timedPeakRss } from './lib/rss.mjs';
import { checkBucket, copyFiles, s3Client, startS3rver, S3RVER_CREDENTIALS } from './lib/s3.mjs';
import { ensureRandomFile, tidyBenchTmp, withScratchDir } from './lib/temp-files.mjs';

const SMALL_SIZE = 10_000_000; // 10 MB, as the issue says: two parts of at most 5 MiB each
const SMALL_COUNT = 100;
const LARGE_SIZE = 1024 * MiB;
const TOTAL_BYTES = SMALL_COUNT * SMALL_SIZE + LARGE_SIZE;
const CONCURRENCY = 2; // files at once: the worker's default TRANSFER_CONCURRENCY
const RUNS = 2; // this 2-core VM is noisy: report the best of two
const TARGET_RATIO = 0.8;
const TARGET_RSS = 200 * MiB;
const BUCKET = 'bench-transfer';
const SMALL_DIR = 'transfer-10MB';
const TRANSFER_TIMEOUT_MS = 15 * 60 * 1000;
const ATTEMPT_TRIES = 4;

/** The inputs, the 1 GiB file first (so both paths end with it alone), as { file, name, size }. */
async function ensureInputs() {
  await mkdir(path.join(BENCH_TMP, SMALL_DIR), { recursive: true });
  const items = [{ name: 'large-1GiB.bin', size: LARGE_SIZE }];
  for (let i = 0; i < SMALL_COUNT; i += 1)
    items.push({ name: `small-${String(i).padStart(3, '0')}.bin`, size: SMALL_SIZE });
  for (const item of items) {
    item.file = await (item.size === LARGE_SIZE
      ? ensureRandomFile('random-1GiB.bin', LARGE_SIZE) // shared with the upload benches
      : ensureRandomFile(path.join(SMALL_DIR, item.name), SMALL_SIZE));
  }
  return items;
}

async function removeInputs(items) {
  for (const { file } of items) await rm(file, { force: true });
  await rm(path.join(BENCH_TMP, SMALL_DIR), { recursive: true, force: true });
}

/** Dirty pages of earlier writes (inputs, staged uploads) must not be flushed inside a timing. */
const syncDisks = () => promisify(execFile)('sync');

/** CPU seconds (user + system) used so far by process `pid`, or by this one for 'self'. */
function cpuOf(pid) {
  if (pid !== 'self') return cpuSeconds(pid);
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Times fn() and the CPU seconds each of `pids` uses meanwhile: { result, seconds, cpu[] }. */
async function timedCpu(pids, fn) {
  const before = pids.map(cpuOf);
  const run = await timed(fn);
  return { ...run, cpu: pids.map((pid, i) => cpuOf(pid) - before[i]) };
}

/** The baseline: the same files copied from disk to a fresh bucket with the SDK, 4 at a time. */
async function directCopy(items, scratch) {
  await syncDisks();
  const s3 = await startS3rver(path.join(scratch, 's3rver'), BUCKET);
  const client = s3Client(s3.endpoint);
  try {
    const objects = items.map((item) => ({ ...item, key: `direct/${item.name}` }));
    const startRss = currentRss(process.pid);
    let peakRss;
    const rss = sampleRss(process.pid); // the SDK's part buffers live in this process here
    const run = await timedCpu(['self', s3.pid], () =>
      copyFiles(client, BUCKET, objects, CONCURRENCY),
    ).finally(() => {
      peakRss = rss.stop();
    });
    await checkBucket(client, BUCKET, new Map(objects.map((o) => [o.key, o.size])));
    const [copierCpu, s3Cpu] = run.cpu;
    return { seconds: run.seconds, copierCpu, s3Cpu, startRss, peakRss };
  } finally {
    client.destroy();
    await s3.stop();
  }
}

/** How many files are under `dir` (the staged blobs still waiting for the worker). */
async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

/** Resolves when nothing is left under `blobsDir`; fails early on a dead worker or dead jobs. */
async function waitUntilTransferred(blobsDir, worker, namespace) {
  const deadline = Date.now() + TRANSFER_TIMEOUT_MS;
  for (let polls = 0; Date.now() < deadline; polls += 1) {
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
    if ((await filesUnder(blobsDir)) === 0) return;
    if (polls % 20 === 19) {
      const dead = await namespace.check(namespace.deadQueue);
      if (dead.messageCount > 0)
        throw new Error(`${dead.messageCount} transfer jobs dead-lettered`);
    }
    await sleep(50);
  }
  throw new Error(`staged blobs left in ${blobsDir} after ${TRANSFER_TIMEOUT_MS} ms`);
}

/**
 * Peak RSS of a child process (the kernel's VmHWM, polled): unlike sampleRss it tolerates the
 * child exiting, so a crashed worker fails the attempt instead of the sampler's timer.
 */
function samplePeakRss(child) {
  let peak = 0;
  const poll = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // exited and reaped: its last reading stands
    }
  };
  const timer = setInterval(poll, 50);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return peak;
    },
  };
}

/** `npm run worker`: the compiled worker with the flags and environment of the root script. */
function spawnWorker(env) {
  return spawn(
    process.execPath,
    [
      '--max-semi-space-size=4',
      // For a diagnosis, e.g. TRANSFER_BENCH_WORKER_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
      ...(process.env.TRANSFER_BENCH_WORKER_ARGS?.split(' ').filter(Boolean) ?? []),
      'apps/api/dist/worker.js',
    ],
    {
      cwd: REPO_ROOT,
      // PORT 0: its probes-and-metrics port must not take the API's.
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072', PORT: '0', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

async function stopWorker(worker) {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  worker.kill('SIGTERM');
  await once(worker, 'exit');
}

/** Uploads every input to an API without the worker role; returns the objects the bucket must hold. */
async function uploadAll(api, items) {
  const token = await newUserToken(api.url);
  const expected = new Map();
  for (const item of items) {
    const { file } = await uploadForm(`${api.url}/api/files`, token, item.file, item.name);
    if (file.size !== item.size) throw new Error(`${item.name}: stored ${file.size} bytes`);
    expected.set(`files/${file.sha1.slice(0, 2)}/${file.sha1.slice(2, 4)}/${file.sha1}`, item.size);
  }
  if (expected.size !== items.length) throw new Error('two inputs have the same SHA-1');
  return expected;
}

/**
 * The queue path: the API (no worker) takes every file by form upload, each becoming a staged
 * blob and a job on RabbitMQ; then the worker process starts and is timed from its consumer
 * appearing on the queue until no staged blob is left.
 */
async function queueTransfer(items, scratch) {
  const dataDir = path.join(scratch, 'data');
  const s3 = await startS3rver(path.join(scratch, 's3rver'), BUCKET);
  const namespace = await openNamespace();
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    STORAGE: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    AMQP_URL,
    AMQP_NAMESPACE: namespace.name,
  };
  let api;
  let worker;
  let workerRss;
  try {
    api = await startApi({ dataDir, env: { ...env, SERVICES: 'account,files,upload,download' } });
    const apiStartedRss = currentRss(api.pid);
    const uploads = await timedPeakRss(api.pid, () => uploadAll(api, items));
    const queued = (await namespace.check(namespace.workQueue)).messageCount;
    await syncDisks();

    const spawned = performance.now();
    worker = spawnWorker(env);
    workerRss = samplePeakRss(worker);
    await namespace.waitForConsumer(worker);
    const startupSeconds = (performance.now() - spawned) / 1000;
    const run = await timedCpu([worker.pid, s3.pid], () =>
      waitUntilTransferred(path.join(dataDir, 'blobs'), worker, namespace),
    );
    const workerPeakRss = workerRss.stop();
    workerRss = undefined;

    const client = s3Client(s3.endpoint);
    try {
      await checkBucket(client, BUCKET, uploads.result);
    } finally {
      client.destroy();
    }
    const dead = (await namespace.check(namespace.deadQueue)).messageCount;
    if (dead > 0) throw new Error(`${dead} transfer jobs dead-lettered`);
    const [workerCpu, s3Cpu] = run.cpu;
    return {
      seconds: run.seconds,
      workerCpu,
      s3Cpu,
      queued,
      startupSeconds,
      uploadSeconds: uploads.seconds,
      apiStartedRss,
      apiPeakRss: uploads.peakRss,
      workerPeakRss,
    };
  } finally {
    // Every step runs even when one fails, so no child process or queue outlives the bench.
    workerRss?.stop();
    const cleanUp = [
      () => worker && stopWorker(worker),
      () => api?.stop(),
      () => namespace.delete(),
      () => s3.stop(),
      () => rm(dataDir, { recursive: true, force: true }),
    ];
    const failed = [];
    for (const step of cleanUp) await Promise.resolve(step()).catch((err) => failed.push(err));
    if (failed.length > 0) console.error('transfer bench clean-up:', ...failed);
  }
}

/**
 * Runs an attempt again when it fails: RabbitMQ on this machine is shared with the tests, which
 * stop and start the broker; an attempt that saw that (or any other failure) counts for nothing.
 */
async function retried(name, attempt) {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (tries >= ATTEMPT_TRIES) throw err;
      console.error(`transfer bench: ${name} attempt failed (${err.message}); running it again`);
      await sleep(5000);
    }
  }
}

const seconds = (value) => `${value.toFixed(1)} s`;
const percent = (value) => `${(value * 100).toFixed(0)} %`;

async function measureAll(items, scratch) {
  const attempts = await roundRobin(
    {
      direct: () => retried('direct', () => directCopy(items, scratch)),
      queue: () => retried('queue', () => queueTransfer(items, scratch)),
    },
    RUNS,
  );
  const direct = fastest(attempts.direct);
  const queue = fastest(attempts.queue);
  const directRate = mibPerSecond(TOTAL_BYTES, direct.seconds);
  const queueRate = mibPerSecond(TOTAL_BYTES, queue.seconds);
  const ratio = queueRate / directRate;
  const apiPeakRss = Math.max(...attempts.queue.map((run) => run.apiPeakRss));
  const workerPeakRss = Math.max(...attempts.queue.map((run) => run.workerPeakRss));
  const uploadSeconds = Math.min(...attempts.queue.map((run) => run.uploadSeconds));
  const uploadRate = mibPerSecond(TOTAL_BYTES, uploadSeconds);
  const all = (runs, figure, format) => runs.map((run) => format(run[figure])).join(', ');
  printTable(
    `Transfer to s3rver: 100 × 10 MB + 1 GiB (${mib(TOTAL_BYTES)}), ${CONCURRENCY} files at once (best of ${RUNS})`,
    [
      [
        'direct SDK copy, lib-storage Upload from disk',
        rate(directRate),
        `baseline; runs ${all(attempts.direct, 'seconds', seconds)}`,
      ],
      [
        'through the queue: worker, consumer up → no staged blob',
        rate(queueRate),
        `runs ${all(attempts.queue, 'seconds', seconds)}`,
      ],
      ['queue / direct', percent(ratio), `≥ 80 %: ${verdict(ratio >= TARGET_RATIO)}`],
      [
        'CPU-s, direct: bench process / s3rver',
        `${direct.copierCpu.toFixed(1)} / ${direct.s3Cpu.toFixed(1)}`,
      ],
      [
        'CPU-s, queue: worker / s3rver',
        `${queue.workerCpu.toFixed(1)} / ${queue.s3Cpu.toFixed(1)}`,
      ],
      [
        'bench process RSS before → peak in the direct copy',
        `${mib(Math.min(...attempts.direct.map((r) => r.startRss)))} → ${mib(
          Math.max(...attempts.direct.map((r) => r.peakRss)),
        )}`,
        `same SDK settings, same ${CONCURRENCY} files at once`,
      ],
      ['jobs waiting when the worker started', `${queue.queued}`, `of ${SMALL_COUNT + 1}`],
      ['worker start-up (spawn → consumer on the queue)', seconds(queue.startupSeconds)],
      ['form uploads into the API before (untimed above)', rate(uploadRate)],
      ['API RSS after start-up', mib(Math.max(...attempts.queue.map((r) => r.apiStartedRss)))],
      [
        'API peak RSS during the uploads',
        mib(apiPeakRss),
        `< 200 MiB: ${verdict(apiPeakRss < TARGET_RSS)}`,
      ],
      [
        'worker peak RSS (spawn → done)',
        mib(workerPeakRss),
        `< 200 MiB: ${verdict(workerPeakRss < TARGET_RSS)}`,
      ],
    ],
  );
  return { directRate, queueRate, ratio, apiPeakRss, workerPeakRss, attempts };
}

export async function runTransferBench({ keepInputs = false } = {}) {
  const items = await ensureInputs();
  try {
    return await withScratchDir('transfer', (scratch) => measureAll(items, scratch));
  } finally {
    if (!keepInputs) await removeInputs(items);
    await tidyBenchTmp();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runTransferBench({ keepInputs: process.argv.includes('--keep-inputs') });
}
