// The in-process queue of the embedded default: no broker, same handler, same retry schedule and
// dead letters as RabbitMQ. Jobs live in memory only; the relay republishes pending content rows
// after a restart (TransferQueue.durable is false).
import type { Logger } from 'pino';
import {
  retryDelay,
  type JobHandler,
  type RemoteDriver,
  type TransferJob,
} from './transfer-job.ts';
import type { TransferQueue } from './transfer-queue.ts';
import { countDeadJob } from '../metrics.ts';
import { jobLogger, runLogged } from './job-log.ts';

interface Pending {
  job: TransferJob;
  attempt: number;
}

export class InlineQueue implements TransferQueue {
  readonly durable = false;
  private readonly waiting: Pending[] = [];
  private readonly dead: Pending[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private consumer: { handler: JobHandler; concurrency: number } | undefined;

  constructor(
    private readonly retryDelaysMs: readonly number[],
    private readonly logger: Logger,
  ) {}

  async publish(job: TransferJob): Promise<void> {
    this.waiting.push({ job, attempt: 1 });
    this.pump();
  }

  async consume(_target: RemoteDriver, handler: JobHandler, concurrency: number): Promise<void> {
    this.consumer = { handler, concurrency };
    this.pump();
  }

  async stopConsuming(graceMs: number): Promise<void> {
    this.consumer = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(this.running), grace]);
  }

  async requeueDead(target: RemoteDriver): Promise<number> {
    const revived = this.dead.filter((pending) => pending.job.to === target);
    for (const pending of revived) this.dead.splice(this.dead.indexOf(pending), 1);
    this.waiting.push(...revived.map(({ job }) => ({ job, attempt: 1 })));
    this.pump();
    return revived.length;
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {
    await this.stopConsuming(0);
  }

  private pump(): void {
    const consumer = this.consumer;
    while (consumer && this.running.size < consumer.concurrency && this.waiting.length > 0) {
      const pending = this.waiting.shift()!;
      const run = this.run(consumer.handler, pending).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(handler: JobHandler, pending: Pending): Promise<void> {
    const log = jobLogger(this.logger, pending.job, pending.attempt);
    try {
      await runLogged(handler, pending.job, log);
    } catch (err) {
      const delay = retryDelay(pending.attempt, this.retryDelaysMs);
      log.warn({ err, retryInMs: delay }, 'transfer job failed');
      if (delay === undefined) {
        countDeadJob(pending.job.action);
        this.dead.push(pending);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting.push({ job: pending.job, attempt: pending.attempt + 1 });
        this.pump();
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }
}
