// Removes the API's data directory created in playwright.config.ts.
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.FILESTORE_E2E_DATA_DIR;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
