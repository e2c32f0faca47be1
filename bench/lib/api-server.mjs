// Starts the real API (embedded SQLite, local blobs) as a child process, the way `npm run serve` does.
import { startServer } from './child-server.mjs';

/** The API on a free port with the given DATA_DIR and LOG_LEVEL=warn. */
export function startApi({ dataDir, env = {} }) {
  return startServer(['--import', 'tsx', 'apps/api/src/main.ts'], {
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
