// Builds one of the bench's browser pages (a folder of bench/ with an index.html) with Vite.
import path from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from './paths.mjs';

/** The Vite config of bench/<name>, for build and preview. */
export const pageConfig = (name) => ({
  configFile: false,
  root: path.join(REPO_ROOT, 'bench', name),
  logLevel: 'warn',
});

/** Builds bench/<name> into `outDir` (workers as ES modules). */
export const buildPage = (name, outDir) =>
  build({ ...pageConfig(name), build: { outDir, emptyOutDir: true }, worker: { format: 'es' } });
