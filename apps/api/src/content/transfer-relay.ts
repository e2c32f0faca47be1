// The outbox relay: publishes the job of every pending content row (staged or deleting) that the
// broker has not confirmed yet — right after the commit that creates it, and again in a periodic
// sweep for any publish that failed (broker down, process killed between commit and publish).
import type { Logger } from 'pino';
import type { Contents } from './contents.ts';
import type { TransferJob } from '../queue/transfer-job.ts';
import type { TransferQueue } from '../queue/transfer-queue.ts';
import { currentRequestId } from '../request-id.ts';

export class TransferRelay {
  private sweeping: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly contents: Contents,
    private readonly queue: TransferQueue,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes a freshly committed job, with the id of the request whose commit created it; a
   * failure is left to the next sweep (whose jobs, read back from their rows, carry no request id).
   */
  notify(job: TransferJob): void {
    const requestId = currentRequestId();
    void this.publish(requestId ? { ...job, requestId } : job).catch((err: unknown) =>
      this.logger.warn({ err, job }, 'transfer job not published yet; the relay will retry'),
    );
  }

  /** Publishes the jobs of pending rows without a confirmed publish; returns how many. */
  sweep(): Promise<number> {
    this.sweeping ??= this.publishPending().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** A sweep whose failure is only logged (the next one tries again). */
  sweepInBackground(): void {
    void this.sweep().catch((err: unknown) =>
      this.logger.warn({ err }, 'transfer relay sweep failed'),
    );
  }

  /**
   * Sweeps now and then every `everyMs`. An in-process queue starts empty, so every pending job is
   * published again first.
   */
  async start(everyMs: number): Promise<void> {
    if (!this.queue.durable) await this.contents.forgetQueued();
    this.sweepInBackground();
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

  private async publishPending(): Promise<number> {
    let published = 0;
    for await (const job of this.contents.pendingJobs()) {
      await this.publish(job);
      published += 1;
    }
    if (published > 0) this.logger.info({ published }, 'transfer relay published pending jobs');
    return published;
  }
}
