// The anchor for chunked uploads: @tus/server with @tus/file-store (files in TUS_DIR), as the tus
// project documents it for node:http, under /files.
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { serveOnPort } from './serve-child.mjs';

const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory: process.env.TUS_DIR }),
});
serveOnPort((req, res) => tus.handle(req, res));
