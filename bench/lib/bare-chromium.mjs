// Chromium driven over its own DevTools pipe with only the Target, Runtime and DOM domains: no
// Network domain. Playwright enables Network on every page and worker, and then Chromium copies
// every ArrayBuffer request body for DevTools: measured here, 64 MiB PUT from memory took 4.5-8.7 s
// under Playwright against 0.4-0.6 s with no DevTools attached (a Blob body: 0.2 s either way). A
// pipeline that sends bytes it read itself must be timed without it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { executablePath, args } = JSON.parse(
  readFileSync(new URL('../../e2e/chromium.json', import.meta.url), 'utf8'),
);

/** Starts headless Chromium; returns { pid, send(method, params, sessionId), close() }. */
export async function launchBareChromium() {
  const profile = await mkdtemp(path.join(tmpdir(), 'bench-chromium-'));
  const child = spawn(
    executablePath,
    [...args, '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const [, , , toChromium, fromChromium] = child.stdio;
  const pending = new Map();
  let nextId = 1;
  let buffered = '';
  fromChromium.setEncoding('utf8');
  fromChromium.on('data', (text) => {
    buffered += text;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiting = message.id && pending.get(message.id);
      if (!waiting) continue;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
      else waiting.resolve(message.result);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toChromium.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  return {
    pid: child.pid,
    send,
    async close() {
      await send('Browser.close').catch(() => undefined);
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new tab in its own browser context at `url`; returns { evaluate, metrics, pick, close }. */
export async function openBareTab(chromium, url) {
  const { browserContextId } = await chromium.send('Target.createBrowserContext');
  const { targetId } = await chromium.send('Target.createTarget', { url, browserContextId });
  const { sessionId } = await chromium.send('Target.attachToTarget', { targetId, flatten: true });
  const call = (method, params) => chromium.send(method, params, sessionId);
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await call('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails)
      throw new Error(`${expression}: ${exceptionDetails.exception?.description}`);
    return result.value;
  };
  await call('Performance.enable');
  return {
    evaluate,
    /** The page's Performance.getMetrics as { name: value }. */
    async metrics() {
      const { metrics } = await call('Performance.getMetrics');
      return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
    },
    async pick(selector, file) {
      const { root } = await call('DOM.getDocument');
      const { nodeId } = await call('DOM.querySelector', { nodeId: root.nodeId, selector });
      await call('DOM.setFileInputFiles', { nodeId, files: [file] });
    },
    close: () => chromium.send('Target.disposeBrowserContext', { browserContextId }),
  };
}
