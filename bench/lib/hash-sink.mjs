// The transport ceiling: a bare node:http server that SHA-1s each request body and stores nothing.
// An upload into it costs what any Node server pays before parsing multipart or touching the disk.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
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
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
