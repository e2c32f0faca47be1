// The housekeeping job: steps that must run now and then for the whole deployment (purge the
// trash past TRASH_TTL, prune versions…), run by one process at a time. Every process with the
// database ticks every HOUSEKEEPING_INTERVAL; the tick that takes the lease (lease.ts) runs every
// step in order, each step's failure logged without stopping the others.
import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { keepRenewing } from '../db/lease.ts';
import { JobLease } from './lease.ts';

/** How long a running job holds the lease without renewing it (renewed every third of it). */
const LEASE_MS = 60_000;

export type HousekeepingStep = () => Promise<unknown>;

export class Housekeeping {
  private readonly steps: { name: string; run: HousekeepingStep }[] = [];
  private readonly lease: JobLease;

  constructor(
    sequelize: Sequelize,
    private readonly logger: Logger,
    private readonly everyMs: number,
    private readonly leaseMs = LEASE_MS,
  ) {
    this.lease = new JobLease(sequelize, 'housekeeping', leaseMs);
  }

  /** Adds a step to every run (in the order registered). */
  register(name: string, run: HousekeepingStep): void {
    this.steps.push({ name, run });
  }

  /** Runs the steps if the job is due and no other process runs it; whether this process ran it. */
  async runOnce(): Promise<boolean> {
    const startedAt = Date.now();
    const claim = await this.lease.claim();
    if (!claim) return false;
    const stop = keepRenewing(claim.renew, this.leaseMs);
    try {
      for (const step of this.steps) {
        await step.run().catch((err: unknown) => {
          this.logger.warn({ err, step: step.name }, 'a housekeeping step failed');
        });
      }
    } finally {
      stop();
      await claim.release(new Date(startedAt + this.everyMs));
    }
    return true;
  }

  /** Ticks every interval until the returned function is called. */
  start(): () => void {
    const tick = () =>
      void this.runOnce().catch((err: unknown) => {
        this.logger.warn({ err }, 'housekeeping could not run; the next tick tries again');
      });
    const timer = setInterval(tick, this.everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
