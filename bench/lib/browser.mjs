// Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here).
import { chromium } from 'playwright-core';

export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export const launchChromium = () => chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
