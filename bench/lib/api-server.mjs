// Starts the real API (embedded SQLite, local blobs) as a child process, the way `npm run serve` does:
// the compiled bundle (`npm run build -w apps/api`) with the flags and environment of the root
// `serve` script.
import { rm } from 'node:fs/promises';
import { startServer } from './child-server.mjs';
import { currentRss, timedPeakRss } from './rss.mjs';

/**
 * The API on a free port with the given DATA_DIR and LOG_LEVEL=warn; `entry`: another compiled
 * bundle (e.g. the code before a change, for a before/after in one run).
 */
export function startApi({ dataDir, env = {}, entry = 'apps/api/dist/main.js' }) {
  return startServer(['--max-semi-space-size=4', entry], {
    MALLOC_MMAP_THRESHOLD_: '131072',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...env,
  });
}

async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** Registers a fresh user and logs in; returns the bearer token. */
export async function newUserToken(apiUrl, username = `bench${Date.now()}`) {
  const credentials = { username, password: 'bench-password-1' };
  await postJson(`${apiUrl}/api/auth/register`, credentials);
  const { token } = await postJson(`${apiUrl}/api/auth/login`, credentials);
  return token;
}

/**
 * One upload into a fresh API on its own `dataDir`: registers a user, times `upload(apiUrl, token)`
 * while sampling the API's RSS, then stops the API and removes `dataDir`. Returns { result,
 * seconds, startedRss (after start-up), idleRss (after register + log in), peakRss }.
 */
export async function uploadToFreshApi({ dataDir, env, entry }, upload) {
  const api = await startApi({ dataDir, env, entry });
  try {
    const startedRss = currentRss(api.pid);
    const token = await newUserToken(api.url); // scrypt: 16 MiB per password hash
    const idleRss = currentRss(api.pid);
    const run = await timedPeakRss(api.pid, () => upload(api.url, token));
    return { ...run, startedRss, idleRss };
  } finally {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
