// The HTTP port of a worker-only process (SERVICES=transfer): no Express, only what the platform
// asks of it — GET /healthz (liveness), /readyz (database, stores and broker reachable) and
// /metrics (the transfer jobs, the process). Anything else answers 404 not_served_here, like a
// route of another role on an API process, so a Service or gateway pointed at a worker is visible.
import type { RequestListener, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { METRICS_CONTENT_TYPE, scrapeMetrics } from '../metrics.ts';
import { notReadyBody, readinessCheck } from './readiness.ts';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function workerPort(services: Services): RequestListener {
  const { logger } = services;
  const ready = readinessCheck(services);
  const routes = new Map<string, (res: ServerResponse) => Promise<void> | void>([
    ['/healthz', (res) => sendJson(res, 200, { status: 'ok' })],
    [
      '/readyz',
      async (res) => {
        const why = await ready();
        sendJson(res, why ? 503 : 200, why ? notReadyBody(why) : { status: 'ready' });
      },
    ],
    [
      '/metrics',
      async (res) => {
        const text = await scrapeMetrics(services);
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
        res.end(text);
      },
    ],
  ]);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = req.method === 'GET' ? routes.get(path) : undefined;
    if (!route) {
      logger.warn({ method: req.method, path }, 'not served here: a transfer worker');
      const message = `This process is a transfer worker: it serves GET /healthz, /readyz and /metrics only (${req.method} ${path})`;
      sendJson(res, 404, { error: { code: 'not_served_here', message } });
      return;
    }
    void Promise.resolve()
      .then(() => route(res))
      .catch((err: unknown) => {
        logger.error({ err, path }, 'request failed');
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'internal_error', message: 'Internal error' } });
        else res.destroy();
      });
  };
}
