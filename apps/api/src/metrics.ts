// Prometheus metrics of this process (prom-client's default registry: one per process, which is
// what a scrape sees), served at GET /metrics. Issue 12: "request counts and durations by route
// and status, bytes received/sent, … transfer jobs done/failed/dead and their durations".
import type { Request, RequestHandler, Response } from 'express';
import client from 'prom-client';
import type { RequestSummary } from './http/request-log.ts';

client.collectDefaultMetrics();

const requestDuration = new client.Histogram({
  name: 'filestore_http_request_duration_seconds',
  help: 'HTTP requests by method, matched route pattern and status, with their durations',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
});
const bytesReceived = new client.Counter({
  name: 'filestore_http_received_bytes_total',
  help: 'Bytes received on the wire (headers included) by matched route pattern',
  labelNames: ['route'] as const,
});
const bytesSent = new client.Counter({
  name: 'filestore_http_sent_bytes_total',
  help: 'Bytes sent on the wire (headers included) by matched route pattern',
  labelNames: ['route'] as const,
});

const transferJobs = new client.Counter({
  name: 'filestore_transfer_jobs_total',
  help: 'Transfer job attempts by action and outcome: done, failed (retried later) or dead',
  labelNames: ['action', 'outcome'] as const,
});
const transferDuration = new client.Histogram({
  name: 'filestore_transfer_job_duration_seconds',
  help: 'Duration of transfer job attempts by action and outcome (done or failed)',
  labelNames: ['action', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
});

/** Counts one finished request; routes are patterns (`/api/files/:id`), never raw paths. */
export function countRequest(summary: RequestSummary, matched: boolean): void {
  const { method, status } = summary;
  // An unmatched path (static file, unknown URL) would make a label per path: one label for all.
  const route = matched ? summary.route : 'unmatched';
  requestDuration.observe({ method, route, status: String(status) }, summary.durationMs / 1000);
  bytesReceived.inc({ route }, summary.bytesIn);
  bytesSent.inc({ route }, summary.bytesOut);
}

/** Times one transfer job attempt; the result says how it ended. */
export async function timeTransferJob<T>(action: string, attempt: () => Promise<T>): Promise<T> {
  const end = transferDuration.startTimer({ action });
  try {
    const result = await attempt();
    end({ outcome: 'done' });
    transferJobs.inc({ action, outcome: 'done' });
    return result;
  } catch (err) {
    end({ outcome: 'failed' });
    transferJobs.inc({ action, outcome: 'failed' });
    throw err;
  }
}

/** A job that failed its last retry and went to the dead letters. */
export const countDeadJob = (action: string) => transferJobs.inc({ action, outcome: 'dead' });

export const metricsRoute: RequestHandler = async (_req: Request, res: Response) => {
  res.type(client.register.contentType).send(await client.register.metrics());
};
