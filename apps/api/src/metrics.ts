// Prometheus metrics of this process (prom-client's default registry: one per process, which is
// what a scrape sees), served at GET /metrics. Issue 12: "request counts and durations by route
// and status, bytes received/sent, uploads open, chunk retries, transfer jobs done/failed/dead and
// their durations, … database pool use".
import type { RequestHandler } from 'express';
import client from 'prom-client';
import type { RequestSummary } from './http/request-log.ts';
import type { Services } from './services.ts';

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

const chunkRetries = new client.Counter({
  name: 'filestore_upload_chunk_retries_total',
  help: 'Chunk PUTs for a chunk that already held bytes (a resumed, repeated or re-sent chunk)',
});
// Read from the database and the pool at each scrape (see metricsRoute), not kept up to date.
const uploadsOpen = new client.Gauge({
  name: 'filestore_uploads_open',
  help: 'Unfinished uploads that have not expired (open or being completed), in the database',
});
const poolConnections = new client.Gauge({
  name: 'filestore_db_pool_connections',
  help: "The main database's connection pool: connections by state (size = available + using)",
  labelNames: ['state'] as const,
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

/** A chunk PUT that found bytes of its chunk already held. */
export const countChunkRetry = () => chunkRetries.inc();

/** sequelize-pool's counters; Sequelize does not type its connection manager's pool. */
interface PoolCounts {
  size: number;
  available: number;
  using: number;
  waiting: number;
}
const isPoolCounts = (pool: unknown): pool is PoolCounts =>
  typeof pool === 'object' &&
  pool !== null &&
  ['size', 'available', 'using', 'waiting'].every(
    (key) => typeof (pool as Record<string, unknown>)[key] === 'number',
  );

/** Samples the pool where Sequelize has one sequelize-pool: MariaDB without read replicas. */
function samplePool(services: Services): void {
  // SQLite's connection manager keeps its own connection and leaves the pool it has unused (0s).
  if (services.sequelize.getDialect() === 'sqlite') return;
  const manager = services.sequelize.connectionManager as unknown as { pool?: unknown };
  if (!isPoolCounts(manager.pool)) return;
  for (const state of ['size', 'available', 'using', 'waiting'] as const)
    poolConnections.set({ state }, manager.pool[state]);
}

/** The Prometheus text of this process's metrics, with the values read at scrape time. */
export async function scrapeMetrics(services: Services): Promise<string> {
  // A database that is down must not take the scrape (and the process metrics) with it.
  await services.uploads.repository
    .countOpen()
    .then((count) => uploadsOpen.set(count))
    .catch((err: unknown) => services.logger.warn({ err }, 'metrics: uploads open not counted'));
  samplePool(services);
  return client.register.metrics();
}

export const METRICS_CONTENT_TYPE = client.register.contentType;

export function metricsRoute(services: Services): RequestHandler {
  return async (_req, res) => {
    res.type(METRICS_CONTENT_TYPE).send(await scrapeMetrics(services));
  };
}
