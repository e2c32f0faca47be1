// The anchor for chunked uploads: @tus/server with @tus/file-store (files in TUS_DIR), as the tus
// project documents it for node:http, under /files. With STATIC_DIR set it also serves that
// directory's files (the built Uppy page), so the page and its uploads share one origin, as the
// web app and the API do.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { serveOnPort } from './serve-child.mjs';

const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory: process.env.TUS_DIR }),
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function serveStatic(dir, req, res) {
  const { pathname } = new URL(req.url, 'http://localhost');
  const file = path.join(dir, path.normalize(pathname === '/' ? '/index.html' : pathname));
  const body = await readFile(file).catch(() => undefined);
  if (!body || !file.startsWith(dir)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(body);
}

const staticDir = process.env.STATIC_DIR && path.resolve(process.env.STATIC_DIR);
serveOnPort((req, res) =>
  staticDir && !req.url.startsWith('/files')
    ? serveStatic(staticDir, req, res)
    : tus.handle(req, res),
);
