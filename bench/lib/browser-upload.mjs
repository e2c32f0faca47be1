// Times one upload of a file picked from disk in a fresh tab of bare Chromium (lib/bare-chromium:
// no DevTools Network domain, which would copy every request body), whatever the page: the page
// reports when the file was picked and done (epoch ms) and the marks its send phase is read from;
// /proc gives the CPU seconds of every process and the tab's (renderer's) peak RSS; the
// Performance domain the page's peak JS heap.
import { setTimeout as sleep } from 'node:timers/promises';
import { openBareTab } from './bare-chromium.mjs';
import { cpuMeter, processTree } from './processes.mjs';
import { highWaterRss } from './rss.mjs';

const UPLOAD_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 200;

const rendererPids = () =>
  new Set([...processTree()].filter(([, p]) => p.role === 'chromium renderer').map(([pid]) => pid));

/** Evaluates `expression` every POLL_MS until it returns something truthy; returns that. */
export async function pollUntil(tab, expression, onMetrics) {
  const deadline = Date.now() + UPLOAD_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // A navigation in between destroys the page's context: not ready yet.
    const value = await tab.evaluate(expression).catch(() => undefined);
    if (onMetrics) onMetrics(await tab.metrics());
    if (value) return value;
    await sleep(POLL_MS);
  }
  throw new Error(`timed out waiting for ${expression}`);
}

/**
 * Uploads through a page at `url`: `prepare(tab)` readies it (log-in, watchers) and returns the
 * file input's selector; `finished` (an expression) is { picked, done, error?, … } in epoch ms once
 * done or failed, falsy before; `sendPhase(times)` returns [start, end] of the send phase from
 * them. Returns { seconds (pick → done), sendSeconds, beforeSendSeconds, times (s after the pick),
 * cpu (seconds per process role), tabPeakRss, jsHeapPeak, tab } — the tab still open: close it.
 */
export async function timeBrowserUpload(chromium, url, { source, prepare, finished, sendPhase }) {
  const renderersBefore = rendererPids();
  const tab = await openBareTab(chromium, url);
  try {
    const input = await prepare(tab);
    let jsHeapPeak = 0;
    const cpu = cpuMeter();
    await tab.pick(input, source);
    const times = await pollUntil(tab, finished, ({ JSHeapUsedSize = 0 }) => {
      jsHeapPeak = Math.max(jsHeapPeak, JSHeapUsedSize);
    });
    const cpuByRole = cpu.stop();
    const tabPids = [...rendererPids()].filter((pid) => !renderersBefore.has(pid));
    if (times.error || !times.done) throw new Error(`the upload failed: ${times.error}`);
    const { picked } = times;
    const [sendStart, sendEnd] = sendPhase(times);
    return {
      seconds: (times.done - picked) / 1000,
      sendSeconds: (sendEnd - sendStart) / 1000,
      beforeSendSeconds: (sendStart - picked) / 1000,
      times: Object.fromEntries(
        Object.entries(times)
          .filter(([, ms]) => typeof ms === 'number')
          .map(([name, ms]) => [name, (ms - picked) / 1000]),
      ),
      cpu: cpuByRole,
      tabPeakRss: Math.max(0, ...tabPids.map(highWaterRss)),
      jsHeapPeak,
      tab,
    };
  } catch (err) {
    await tab.close();
    throw err;
  }
}
