// The child side of child-server.mjs: serves a request handler on PORT (loopback) with
// GET /healthz for the readiness check, and closes on SIGTERM.
import { createServer } from 'node:http';

export function serveOnPort(handler) {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') res.end('ok');
    else handler(req, res);
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
