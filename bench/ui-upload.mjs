// The same 1 GiB random file through the real UI in Chromium, beside, in the same Chromium and the
// same run, the anchor: Uppy (@uppy/core + @uppy/tus, 8 MiB chunks) → @tus/server + file-store
// (bench/uppy-page, served by the tus server itself so both pages talk to their own origin). Also
// the Node chunk client (lib/chunk-client.mjs, contract v2, concurrency 4) and the browser's raw
// read rate in a worker (the ceiling of any in-browser pipeline).
//
// Chromium runs bare (lib/bare-chromium.mjs), without Playwright: Playwright's Network domain makes
// Chromium copy every ArrayBuffer request body, which the web app's worker sends (Uppy sends Blob
// slices, untouched). Each upload is picked from disk (DOM.setFileInputFiles, a path) in a fresh
// browser context with a fresh user (no instant hit), timed from the input's change to done as the
// page reports it; the UI's send phase runs from its row's first "uploading" (init answered, the
// first chunk PUT goes out) to "done" (complete answered). Every stored file is checked (size,
// SHA-1). A fresh API per upload; the servers' peak RSS is sampled throughout; CPU seconds per
// process from /proc.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { uploadToFreshApi } from './lib/api-server.mjs';
import { launchBareChromium, openBareTab } from './lib/bare-chromium.mjs';
import { pollUntil, timeBrowserUpload } from './lib/browser-upload.mjs';
import { startServer } from './lib/child-server.mjs';
import { sha1OfFile, uploadChunked } from './lib/chunk-client.mjs';
import {
  fastest,
  mib,
  MiB,
  mibPerSecond,
  printTable,
  rate,
  roundRobin,
  sizeLabel,
  verdict,
} from './lib/measure.mjs';
import { buildPage } from './lib/page-build.mjs';
import { cpuLine } from './lib/processes.mjs';
import { timedPeakRss } from './lib/rss.mjs';
import { withRandomInput, withScratchDir } from './lib/temp-files.mjs';

const FILE_SIZE = 1024 * MiB;
const RUNS = 2; // this 2-core VM is noisy: report the best of two
const CONCURRENCY = 4; // the web engine's default
const TARGET_VS_UPPY = 1.0;
const TARGET_PICK_VS_SEND = 1.15;
const READ_SLICES_MIB = [8, 64]; // the app's chunk size, and the size Chromium reads fastest
const FLATNESS_SIZES = [256 * MiB, 4096 * MiB]; // beside FILE_SIZE: the tab's memory must stay flat
// Another compiled API, serving the web app built beside it (its `../../web/dist`), run in the same
// round-robin for a before/after of a change: BENCH_BASELINE_API=<old tree>/apps/api/dist/main.js.
const BASELINE_API = process.env.BENCH_BASELINE_API;

/* global document, location, MutationObserver -- page functions below */

/** Runs in the app's page: registers a fresh user and logs in (the session cookie), then opens the drive. */
async function logInAsNewUser() {
  const credentials = { username: `ui${Date.now()}`, password: 'bench-password-1' };
  for (const route of ['register', 'login']) {
    const res = await fetch(`/api/auth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    if (!res.ok) throw new Error(`${route} answered ${res.status}`);
  }
  location.assign('/'); // the log-in page stays put once logged in
}

/**
 * Runs in the app's page: notes when the file input changes ("picked") and when the transfer row
 * first shows each status, in epoch ms (the engine writes the panel at ~10 Hz, so each mark is late
 * by < 0.1 s).
 */
function watchStatusTimes() {
  const times = {};
  const mark = (status) => {
    if (status && !(status in times)) times[status] = performance.timeOrigin + performance.now();
  };
  document.addEventListener('change', () => mark('picked'), { capture: true });
  new MutationObserver(() => {
    for (const row of document.querySelectorAll('[data-testid="transfer-row"]')) {
      mark(row.dataset.status);
    }
  }).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-status'],
  });
  globalThis.statusTimes = times;
}

function appFinished() {
  const times = globalThis.statusTimes;
  if (times.failed) {
    return { ...times, error: document.querySelector('[role=alert]')?.textContent ?? 'failed' };
  }
  return times.done ? times : undefined;
}

/** Runs in the app's page: the user's one stored file. */
const storedFile = async () => (await (await fetch('/api/files')).json()).items[0];

const call = (fn) => `(${fn})()`;
const driveShown = `!!document.querySelector('[data-testid="file-input"]')`;

/** One upload through the web app into a fresh API, by a fresh user logged in in the page. */
async function uiUpload(chromium, source, expected, dataDir, entry = undefined) {
  const run = await uploadToFreshApi({ dataDir, entry }, async (apiUrl) => {
    const { tab, ...result } = await timeBrowserUpload(chromium, `${apiUrl}/`, {
      source,
      prepare: async (page) => {
        await pollUntil(
          page,
          `location.protocol === 'http:' && document.readyState === 'complete'`,
        );
        await page.evaluate(call(logInAsNewUser));
        await pollUntil(page, `document.readyState === 'complete' && ${driveShown}`);
        await page.evaluate(call(watchStatusTimes));
        return '[data-testid="file-input"]';
      },
      finished: call(appFinished),
      sendPhase: (times) => [times.uploading, times.done],
    });
    try {
      const file = await tab.evaluate(call(storedFile));
      if (file?.size !== expected.size || file.sha1 !== expected.sha1) {
        throw new Error(`stored ${JSON.stringify(file)}; sent ${JSON.stringify(expected)}`);
      }
    } finally {
      await tab.close();
    }
    return result;
  });
  return { ...run.result, serverPeakRss: run.peakRss, serverIdleRss: run.idleRss };
}

/** One upload by Uppy into a fresh @tus/server that also serves the page from `pageDir`. */
async function uppyUpload(chromium, source, expected, scratch, pageDir) {
  const tusDir = path.join(scratch, 'tus');
  const server = await startServer(['bench/lib/tus-server.mjs'], {
    TUS_DIR: tusDir,
    STATIC_DIR: pageDir,
  });
  try {
    const run = await timedPeakRss(server.pid, async () => {
      const { tab, ...result } = await timeBrowserUpload(chromium, `${server.url}/`, {
        source,
        prepare: async (page) => {
          await pollUntil(page, `document.readyState === 'complete' && !!globalThis.uppyTimes`);
          return '#file';
        },
        finished: `(({ done, error }) => done || error ? globalThis.uppyTimes : undefined)(globalThis.uppyTimes)`,
        sendPhase: (times) => [times.sending, times.done],
      });
      await tab.close();
      return result;
    });
    const [stored] = (await readdir(tusDir)).filter((name) => !name.endsWith('.json'));
    const sha1 = await sha1OfFile(path.join(tusDir, stored));
    if (sha1 !== expected.sha1) throw new Error(`tus stored another file: ${stored}`);
    return { ...run.result, serverPeakRss: run.peakRss };
  } finally {
    await server.stop();
    await rm(tusDir, { recursive: true, force: true });
  }
}

/** The browser's raw read rate in a worker, per slice size, on the Uppy page (no upload). */
async function rawReads(chromium, source, pageDir) {
  const server = await startServer(['bench/lib/tus-server.mjs'], {
    TUS_DIR: path.join(pageDir, 'unused'),
    STATIC_DIR: pageDir,
  });
  const tab = await openBareTab(chromium, `${server.url}/`);
  try {
    await pollUntil(tab, `document.readyState === 'complete' && !!globalThis.rawReadInWorker`);
    await tab.pick('#file', source);
    const seconds = {};
    for (const slice of READ_SLICES_MIB) {
      seconds[slice] = await tab.evaluate(`globalThis.rawReadInWorker(${slice})`);
    }
    return { seconds: Math.min(...Object.values(seconds)), bySlice: seconds };
  } finally {
    await tab.close();
    await server.stop();
  }
}

/** One upload by the Node chunk client into a fresh API, its pre-hash included. */
async function nodeUpload(source, dataDir) {
  const run = await uploadToFreshApi({ dataDir }, (apiUrl, token) =>
    uploadChunked(apiUrl, token, source, { concurrency: CONCURRENCY }),
  );
  const { sha1Seconds, uploadSeconds, completeSeconds } = run.result;
  return {
    seconds: sha1Seconds + uploadSeconds,
    completeSeconds,
    serverPeakRss: run.peakRss,
  };
}

const worst = (attempts, figure) => Math.max(...attempts.map((run) => run[figure]));
const timeline = (times) =>
  Object.entries(times)
    .sort(([, a], [, b]) => a - b)
    .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
    .join(' → ');

async function measureAll(source, scratch, keepInputs) {
  const expected = { size: FILE_SIZE, sha1: await sha1OfFile(source) };
  const dataDir = path.join(scratch, 'data');
  const pageDir = path.join(scratch, 'uppy-page');
  await buildPage('uppy-page', pageDir);
  const chromium = await launchBareChromium();
  let attempts;
  let bySize;
  try {
    attempts = await roundRobin(
      {
        uppy: () => uppyUpload(chromium, source, expected, scratch, pageDir),
        ui: () => uiUpload(chromium, source, expected, dataDir),
        ...(BASELINE_API && {
          baseline: () => uiUpload(chromium, source, expected, dataDir, BASELINE_API),
        }),
        node: () => nodeUpload(source, dataDir),
        read: () => rawReads(chromium, source, pageDir),
      },
      RUNS,
    );
    bySize = await memoryBySize(chromium, scratch, keepInputs);
  } finally {
    await chromium.close();
  }
  const [uppy, ui, node] = ['uppy', 'ui', 'node'].map((name) => fastest(attempts[name]));
  const readBySlice = Object.fromEntries(
    READ_SLICES_MIB.map((slice) => [
      slice,
      Math.min(...attempts.read.map((run) => run.bySlice[slice])),
    ]),
  );
  const speed = (seconds) => rate(mibPerSecond(FILE_SIZE, seconds));
  const phase = (seconds) => `${seconds.toFixed(1)} s (${speed(seconds)})`;
  const vsUppy = uppy.seconds / ui.seconds;
  const pickVsSend = ui.seconds / ui.sendSeconds;
  printTable(`1 GiB picked from disk in Chromium, pick → done (best of ${RUNS})`, [
    ['Uppy + @uppy/tus → @tus/server + file-store (anchor)', speed(uppy.seconds)],
    ['web app UI → API, fresh user', speed(ui.seconds)],
    [
      'UI / Uppy',
      `${vsUppy.toFixed(2)} ×`,
      `≥ ${TARGET_VS_UPPY} ×: ${verdict(vsUppy >= TARGET_VS_UPPY)}`,
    ],
    ['UI: send phase (row "uploading" → "done")', phase(ui.sendSeconds)],
    ['UI: pick → "uploading"', `${ui.beforeSendSeconds.toFixed(2)} s`],
    [
      'UI: pick → done / send phase',
      `${pickVsSend.toFixed(2)} ×`,
      `≤ ${TARGET_PICK_VS_SEND} ×: ${verdict(pickVsSend <= TARGET_PICK_VS_SEND)}`,
    ],
    ['Uppy: send phase (first upload-progress → done)', phase(uppy.sendSeconds)],
    ['Uppy: pick → first upload-progress', `${uppy.beforeSendSeconds.toFixed(2)} s`],
    ...(attempts.baseline
      ? [
          [`baseline UI (${BASELINE_API}), pick → done`, speed(fastest(attempts.baseline).seconds)],
          [
            'baseline UI / Uppy',
            `${(uppy.seconds / fastest(attempts.baseline).seconds).toFixed(2)} ×`,
          ],
        ]
      : []),
    ['Node chunk client, c4, SHA-1 + upload', speed(node.seconds)],
    ...READ_SLICES_MIB.map((slice) => [
      `Chromium raw File read in a worker, ${slice} MiB slices`,
      speed(readBySlice[slice]),
      'read ceiling',
    ]),
    ['UI tab: renderer peak RSS / page JS heap peak (worst run)', tabMemory(attempts.ui)],
    ['Uppy tab: renderer peak RSS / page JS heap peak (worst run)', tabMemory(attempts.uppy)],
    ['API peak RSS, UI upload (worst run)', mib(worst(attempts.ui, 'serverPeakRss'))],
    ['API peak RSS, Node client (worst run)', mib(worst(attempts.node, 'serverPeakRss'))],
    ['tus server peak RSS, Uppy upload (worst run)', mib(worst(attempts.uppy, 'serverPeakRss'))],
  ]);
  printTable('UI memory by file size (1 run each; 1 GiB: worst of the runs above)', [
    ...[...bySize, { size: FILE_SIZE, ...worstMemory(attempts.ui) }]
      .sort((a, b) => a.size - b.size)
      .map((run) => [
        `${sizeLabel(run.size)}: tab renderer peak RSS / page JS heap / API peak RSS`,
        `${mib(run.tabPeakRss)} / ${mib(run.jsHeapPeak)} / ${mib(run.serverPeakRss)}`,
        run.seconds ? rate(mibPerSecond(run.size, run.seconds)) : '',
      ]),
  ]);
  console.log(`  UI statuses, s after the pick: ${timeline(ui.times)}`);
  console.log(`  UI CPU-s per process: ${cpuLine(ui.cpu)}`);
  console.log(`  Uppy CPU-s per process: ${cpuLine(uppy.cpu)}`);
  if (attempts.baseline) {
    console.log(`  baseline UI CPU-s per process: ${cpuLine(fastest(attempts.baseline).cpu)}`);
  }
  return { uppy, ui, node, readBySlice, vsUppy, pickVsSend, bySize, attempts };
}

/** The UI at other file sizes (one run each): the tab's and the API's memory must stay flat. */
async function memoryBySize(chromium, scratch, keepInputs) {
  const bySize = [];
  for (const size of FLATNESS_SIZES) {
    const run = await withRandomInput(size, keepInputs, async (source) =>
      uiUpload(
        chromium,
        source,
        { size, sha1: await sha1OfFile(source) },
        path.join(scratch, 'data'),
      ),
    );
    bySize.push({ size, ...run });
  }
  return bySize;
}

const worstMemory = (runs) => ({
  tabPeakRss: worst(runs, 'tabPeakRss'),
  jsHeapPeak: worst(runs, 'jsHeapPeak'),
  serverPeakRss: worst(runs, 'serverPeakRss'),
});

const tabMemory = (runs) => `${mib(worst(runs, 'tabPeakRss'))} / ${mib(worst(runs, 'jsHeapPeak'))}`;

export const runUiUploadBench = ({ keepInputs = false } = {}) =>
  withRandomInput(FILE_SIZE, keepInputs, (source) =>
    withScratchDir('ui-upload', (scratch) => measureAll(source, scratch, keepInputs)),
  );

if (import.meta.url === `file://${process.argv[1]}`) {
  await runUiUploadBench({ keepInputs: process.argv.includes('--keep-inputs') });
}
