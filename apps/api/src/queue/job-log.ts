// The log lines of one transfer job attempt, in both queues. Each carries the process's role (from
// the parent logger) and the id of the request that created the job under the same key as that
// request's own line (`reqId`), so one search finds the complete and the transfer it started.
import type { Logger } from 'pino';
import type { JobHandler, TransferJob } from './transfer-job.ts';

/** A logger for one attempt of `job`. */
export function jobLogger(logger: Logger, job: TransferJob, attempt: number): Logger {
  const { requestId, action, sha1, size, to } = job;
  return logger.child({ reqId: requestId, job: { action, sha1, size, to }, attempt });
}

/** Runs one attempt and logs it done with its duration; a failure is thrown for the queue to log. */
export async function runLogged(handler: JobHandler, job: TransferJob, log: Logger): Promise<void> {
  const started = performance.now();
  await handler(job);
  log.info({ durationMs: Math.round(performance.now() - started) }, 'transfer job done');
}
