// Slow clients cannot hold connections forever (issue 10): a body that stops arriving, or a reader
// that stops reading, is cut after IDLE_TIMEOUT without a byte either way; headers must all arrive
// within it. Uploads and downloads that keep moving are never cut, however long they take, and
// neither is a client waiting for our answer (assembling a 10 GiB upload can take minutes).
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** The HTTP server of `app`, with IDLE_TIMEOUT (`idleMs`) on every connection. */
export function createHttpServer(app: RequestListener, idleMs: number): Server {
  const server = createServer(
    {
      headersTimeout: idleMs,
      requestTimeout: 0, // no bound on a whole request: uploads of many GiB take long
      connectionsCheckingInterval: Math.ceil(idleMs / 4),
    },
    app,
  );
  // Node measures idleness per socket, in both directions, and pauses it while a write progresses.
  server.timeout = idleMs;
  // A kept-alive connection closes when it has been idle as long as its `Keep-Alive: timeout=`
  // says, so a client never reuses one we are closing. Node's 5 s default lost that race under
  // load: a client sending on a socket the server had just closed got ECONNRESET.
  server.keepAliveTimeout = idleMs;
  const current = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    current.set(req.socket, { req, res });
  });
  server.on('timeout', (socket: Socket) => {
    const exchange = current.get(socket);
    // The request is all in, we have not answered yet and nothing is stuck on the client's side.
    const waitingForUs =
      exchange !== undefined &&
      exchange.req.complete &&
      !exchange.res.writableEnded &&
      !exchange.res.writableNeedDrain;
    if (!waitingForUs) socket.destroy();
  });
  return server;
}
