// Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

// The same executable and flags as the e2e tests.
const CHROMIUM_LAUNCH_OPTIONS = JSON.parse(
  readFileSync(new URL('../../e2e/chromium.json', import.meta.url), 'utf8'),
);

export const launchChromium = () => chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
