// One log line per request (issue 10, item 13): "method, route, status, duration, bytes, request id"
// and nothing else. No headers (they carry the bearer token, the session cookie and X-Share-Code)
// and no raw URL (`?code=` carries an extraction code): the route is the matched Express pattern.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { RequestId, withRequestId } from '../request-id.ts';

/** What one request did, as its log line says it. */
export interface RequestSummary {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  /** On the wire, headers included. */
  bytesIn: number;
  bytesOut: number;
}

// Where each keep-alive connection's byte counters stood when its previous request ended.
const counted = new WeakMap<Socket, { read: number; written: number }>();
const summaries = new WeakMap<Request, (res: Response) => RequestSummary>();
// Requests that matched a route: their `route` is a pattern, not a path.
const matchedRoutes = new WeakSet<Request>();

/**
 * Starts watching a request: `req.route` is set by Express when a route matches, while `baseUrl`
 * is still the router's mount path (by the time an error is answered it has been restored).
 */
function watch(req: Request): void {
  const started = performance.now();
  const socket = req.socket;
  let route: string | undefined;
  let matched: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => matched,
    set(value: { path: unknown } | undefined) {
      matched = value;
      if (value) route = `${req.baseUrl}${String(value.path)}`;
      if (value) matchedRoutes.add(req);
    },
  });
  let summary: RequestSummary | undefined;
  // Computed once (the log line and the metrics both ask): the socket counters move on.
  summaries.set(req, (res) => (summary ??= summarize(res)));
  const summarize = (res: Response): RequestSummary => {
    const before = counted.get(socket) ?? { read: 0, written: 0 };
    const now = { read: socket.bytesRead, written: socket.bytesWritten };
    counted.set(socket, now);
    return {
      method: req.method,
      // Unmatched (static files, unknown paths): the path alone, never the query.
      route: route ?? req.originalUrl.split('?')[0]!,
      status: res.statusCode,
      durationMs: Math.round(performance.now() - started),
      bytesIn: now.read - before.read,
      bytesOut: now.written - before.written,
    };
  };
}

const summaryOf = (req: Request, res: Response) => summaries.get(req)?.(res);

/**
 * Logs every request; `onDone` also gets each finished request's summary, and whether its route is
 * a matched pattern (else a raw path), for the metrics.
 */
export function requestLogger(
  logger: Logger,
  onDone?: (summary: RequestSummary, matched: boolean) => void,
): RequestHandler {
  const log = pinoHttp<Request, Response>({
    logger,
    genReqId: (req) => req.id,
    // req.log and res.log carry the request id alone, not the request with its headers.
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (_req, res) => (res.writableEnded ? 'request' : 'request aborted'),
    customSuccessObject: (req, res) => summaryOf(req, res),
    // A fault answered by errors.ts is on res.err: it goes on this same line.
    customErrorMessage: () => 'request failed',
    customErrorObject: (req, res, err) => ({ ...summaryOf(req, res), err }),
  });
  return (req, res, next) => {
    // The gateway's id when it is a safe one, so its log and ours match; else a fresh one.
    const given = RequestId.safeParse(req.headers['x-request-id']);
    const id = given.success ? given.data : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    watch(req);
    if (onDone) res.on('close', () => onDone(summaryOf(req, res)!, matchedRoutes.has(req)));
    withRequestId(id, () => log(req, res, next));
  };
}
