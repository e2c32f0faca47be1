// Removes the run's directory (the API's data) created in playwright.config.ts.
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const runDir = process.env.FILESTORE_E2E_DIR;
  if (runDir) await rm(runDir, { recursive: true, force: true });
}
