// Times one upload of a file picked from disk in a fresh Chromium context, whatever the page: the
// page reports when the file was picked and when it was done (epoch ms); Playwright's request
// events give the send phase (first data request → the answer that ends the upload); /proc gives
// the CPU seconds of every process and the tab's (renderer's) peak RSS; CDP gives the page's peak
// JS heap.
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMeter, processTree } from './processes.mjs';
import { highWaterRss } from './rss.mjs';

const UPLOAD_TIMEOUT_MS = 10 * 60_000;
const HEAP_POLL_MS = 250;

const rendererPids = () =>
  new Set([...processTree()].filter(([, p]) => p.role === 'chromium renderer').map(([pid]) => pid));

/** Polls the page's JS heap (main thread) through CDP until stop(); stop() returns the peak. */
async function watchHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const polling = (async () => {
    while (running) {
      const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peak = Math.max(peak, used);
      await sleep(HEAP_POLL_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await polling;
      await cdp.detach().catch(() => undefined);
      return peak;
    },
  };
}

/**
 * Uploads through a page: `open(page)` loads it and waits until it is ready; `pick(page)` picks the
 * file; `finished(page)` (run in the page) returns { picked, done, error? } in epoch ms once done
 * or failed, undefined before; `isSendStart(request)` marks the first data request and
 * `isSendEnd(response)` the answer that ends sending. Returns { seconds (pick → done),
 * sendSeconds, times (the page's, in s after the pick), cpu (seconds per process role),
 * tabPeakRss, jsHeapPeak }.
 */
export async function timeBrowserUpload(
  browser,
  { contextOptions, open, pick, finished, isSendStart, isSendEnd },
) {
  const renderersBefore = rendererPids();
  const context = await browser.newContext(contextOptions);
  try {
    const page = await context.newPage();
    await open(page);
    const tabPids = [...rendererPids()].filter((pid) => !renderersBefore.has(pid));
    let sendStart;
    let sendEnd;
    context.on('request', (request) => {
      if (sendStart === undefined && isSendStart(request)) sendStart = Date.now();
    });
    context.on('response', (response) => {
      if (isSendEnd(response)) sendEnd = Date.now();
    });
    const heap = await watchHeap(page);
    const cpu = cpuMeter();
    await pick(page);
    const handle = await page.waitForFunction(finished, undefined, { timeout: UPLOAD_TIMEOUT_MS });
    const cpuByRole = cpu.stop();
    const jsHeapPeak = await heap.stop();
    const times = await handle.jsonValue();
    if (times.error || !times.done) throw new Error(`the upload failed: ${times.error}`);
    if (sendStart === undefined || sendEnd === undefined) {
      throw new Error(`no send phase seen (start ${sendStart}, end ${sendEnd})`);
    }
    const { picked } = times;
    const relative = Object.fromEntries(
      Object.entries(times)
        .filter(([, ms]) => typeof ms === 'number')
        .map(([name, ms]) => [name, (ms - picked) / 1000]),
    );
    return {
      seconds: (times.done - picked) / 1000,
      sendSeconds: (sendEnd - sendStart) / 1000,
      beforeSendSeconds: (sendStart - picked) / 1000,
      times: relative,
      cpu: cpuByRole,
      tabPeakRss: Math.max(0, ...tabPids.map(highWaterRss)),
      jsHeapPeak,
    };
  } finally {
    await context.close();
  }
}
