// Compiles the API, the worker and the user:add and migrate commands into ES modules (dist/main.js,
// dist/worker.js, dist/user-add.js, dist/migrate.js) for production: no TypeScript loader at run
// time (it costs ~35 MiB of memory), the contract package inlined, npm dependencies (and the native
// @filestore/resumable-sha1) left external.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const dependencies = (file) =>
  Object.keys(JSON.parse(readFileSync(new URL(file, import.meta.url))).dependencies);
const external = [
  ...dependencies('./package.json'),
  ...dependencies('../../packages/contract/package.json'),
].filter((name) => name !== '@filestore/contract');

const outdir = new URL('./dist', import.meta.url).pathname;
// Chunk names carry a hash: clear the last build's so none is left behind.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['main', 'worker', 'user-add', 'migrate'].map(
    (name) => new URL(`./src/${name}.ts`, import.meta.url).pathname,
  ),
  outdir,
  bundle: true,
  // Modules loaded with import() (HTTP app, store SDKs, amqplib) go to chunks loaded on demand.
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
});
