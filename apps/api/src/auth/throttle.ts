// Counts failures per key (a username, an IP) in the database, so every API process shares them.
import type { AccountModels } from './models.ts';
import { HttpError } from '../http/errors.ts';

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

export class Throttle {
  constructor(private readonly models: Pick<AccountModels, 'Throttle'>) {}

  /** Throws 429 with Retry-After when any of the keys has used up its failures. */
  async assertAllowed(keys: readonly [string, ThrottleRule][]): Promise<void> {
    const now = Date.now();
    for (const [key, rule] of keys) {
      const row = await this.models.Throttle.findByPk(key);
      if (row && row.resetAt.getTime() > now && row.failures >= rule.limit) {
        const retryAfter = Math.ceil((row.resetAt.getTime() - now) / 1000);
        throw new HttpError('too_many_requests', 'Too many failed attempts; try again later', {
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
    }
  }

  async recordFailure(keys: readonly [string, ThrottleRule][]): Promise<void> {
    const now = Date.now();
    for (const [key, rule] of keys) {
      const row = await this.models.Throttle.findByPk(key);
      if (!row || row.resetAt.getTime() <= now) {
        await this.models.Throttle.upsert({
          key,
          failures: 1,
          resetAt: new Date(now + rule.windowMs),
        });
      } else {
        await row.increment('failures');
      }
    }
  }

  async clear(key: string): Promise<void> {
    await this.models.Throttle.destroy({ where: { key } });
  }
}
