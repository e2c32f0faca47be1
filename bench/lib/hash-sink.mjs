// The transport ceiling: a bare node:http server that SHA-1s each request body and stores nothing.
// An upload into it costs what any Node server pays before parsing multipart or touching the disk.
import { createHash } from 'node:crypto';
import { serveOnPort } from './serve-child.mjs';

serveOnPort((req, res) => {
  const hash = createHash('sha1');
  let size = 0;
  req.on('data', (chunk) => {
    hash.update(chunk);
    size += chunk.length;
  });
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ file: { size, sha1: hash.digest('hex') } }));
  });
});
