// End-to-end tests against the built app (apps/web/dist, built by the test command) served by the
// real API on a fresh data directory, in Debian's Chromium (`npx playwright install` cannot download).
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { CHUNK_SIZE } from './support/server.ts';

// E2E_PORT lets two runs on one machine use different ports.
const PORT = Number(process.env.E2E_PORT ?? 8181);
// Debian's Chromium and the flags it needs on a machine with no outside network; shared with the
// benchmarks (bench/lib/browser.mjs).
const chromiumLaunchOptions = JSON.parse(
  readFileSync(new URL('./chromium.json', import.meta.url), 'utf8'),
);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// The config is loaded by the runner and again by each worker: create the run's directory once and
// hand it down through the environment (global-teardown.ts removes it). It holds the API's DATA_DIR
// and its pid file (support/server.ts reads what the API process has received).
process.env.FILESTORE_E2E_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'filestore-e2e-'));
const runDir = process.env.FILESTORE_E2E_DIR;

export default defineConfig({
  testDir: 'tests',
  globalTeardown: './global-teardown.ts',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '../.test-results/e2e.json' }]],
  outputDir: '../.test-results/e2e-artifacts',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${PORT}`,
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    // Run by a shell: `exec` keeps the pid written so that it is the API's own.
    command:
      'echo $$ > "$FILESTORE_E2E_DIR/api.pid" && exec node --import tsx apps/api/src/main.ts',
    cwd: repoRoot,
    url: `http://localhost:${PORT}/healthz`,
    env: {
      PORT: String(PORT),
      DATA_DIR: path.join(runDir, 'data'),
      LOG_LEVEL: 'warn',
      CHUNK_SIZE: String(CHUNK_SIZE),
      // A quota every test user has room under (the largest upload is 200 MB), so the header
      // shows its bar (tests/drive-work.spec.ts).
      DEFAULT_QUOTA_BYTES: '1GB',
      // Every test signs up from the same address.
      REGISTRATIONS_PER_HOUR: '1000',
      FILESTORE_E2E_DIR: runDir,
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
