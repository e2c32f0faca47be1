// Where transfer jobs wait for the worker: RabbitMQ (`AMQP_URL`), or an in-process queue (the
// embedded default). Both run the same handler with the same retry schedule and dead letters.
import type { JobHandler, RemoteDriver, TransferJob } from './transfer-job.ts';

export interface TransferQueue {
  /**
   * True when a published job survives this process (RabbitMQ): the relay then trusts a confirmed
   * publish; an in-process queue forgets its jobs on restart, so the relay publishes them again.
   */
  readonly durable: boolean;
  /** Resolves once the queue holds the job (RabbitMQ: publisher confirm of a persistent message). */
  publish(job: TransferJob): Promise<void>;
  /** Starts running jobs for the store `target`, at most `concurrency` at once. */
  consume(target: RemoteDriver, handler: JobHandler, concurrency: number): Promise<void>;
  /** Stops taking jobs; waits up to `graceMs` for those running, then gives the rest back. */
  stopConsuming(graceMs: number): Promise<void>;
  /** Moves every dead-lettered job of `target` back into its queue; returns how many. */
  requeueDead(target: RemoteDriver): Promise<number>;
  /** Throws when the queue cannot take jobs now (for /readyz). */
  check(): Promise<void>;
  close(): Promise<void>;
}
