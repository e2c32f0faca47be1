// The outbox relay: publishes the job of every pending content row (staged or deleting) that the
// broker has not confirmed yet — right after the commit that creates it, and again in a periodic
// sweep for any publish that failed (broker down, process killed between commit and publish).
import type { Logger } from 'pino';
import type { Contents } from '../files/contents.ts';
import type { TransferJob } from '../queue/transfer-job.ts';
import type { TransferQueue } from '../queue/transfer-queue.ts';

export class TransferRelay {
  private sweeping: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly contents: Contents,
    private readonly queue: TransferQueue,
    private readonly logger: Logger,
  ) {}

  /** Publishes a freshly committed job; a failure is left to the next sweep. */
  notify(job: TransferJob): void {
    void this.publish(job).catch((err: unknown) =>
      this.logger.warn({ err, job }, 'transfer job not published yet; the relay will retry'),
    );
  }

  /**
   * Publishes the jobs of pending rows without a confirmed publish (`everything`: of all pending
   * rows, for a queue that lost its jobs with the previous process). Returns how many.
   */
  sweep(everything = false): Promise<number> {
    this.sweeping ??= this.publishPending(everything).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** A sweep whose failure is only logged (the next one tries again). */
  sweepInBackground(everything = false): void {
    void this.sweep(everything).catch((err: unknown) =>
      this.logger.warn({ err }, 'transfer relay sweep failed'),
    );
  }

  /** Sweeps now (everything, when the queue is not durable) and then every `everyMs`. */
  start(everyMs: number): void {
    this.sweepInBackground(!this.queue.durable);
    this.timer = setInterval(() => this.sweepInBackground(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  private async publish(job: TransferJob): Promise<void> {
    await this.queue.publish(job);
    await this.contents.markQueued(job);
  }

  private async publishPending(everything: boolean): Promise<number> {
    let published = 0;
    for await (const job of this.contents.pendingJobs(everything)) {
      await this.publish(job);
      published += 1;
    }
    if (published > 0) this.logger.info({ published }, 'transfer relay published pending jobs');
    return published;
  }
}
