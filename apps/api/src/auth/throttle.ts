// Counts attempts per key (a username and address, a share link, a user's instant-upload probes…)
// in the database, so every API process shares them. An attempt is counted BEFORE its secret is checked, by one
// conditional UPDATE (or the INSERT that opens a window): parallel requests cannot all read "4
// failures so far" and all be checked (issue 10: "40 parallel wrong passwords are all checked").
// A right secret gives its own attempt back (`refund`), so the counters hold failures only.
import { Op, UniqueConstraintError, literal } from 'sequelize';
import type { AccountModels } from './models.ts';
import { HttpError } from '../http/errors.ts';

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/** How an attempt was counted: the first of a new window, or one more in a running window. */
export type Counted = 'first' | 'more';

export class Throttle {
  constructor(private readonly models: Pick<AccountModels, 'Throttle'>) {}

  /**
   * Counts one attempt under `key`, or throws 429 (with Retry-After) when the key's window is
   * already full; a refused attempt is not counted.
   */
  async take(key: string, rule: ThrottleRule): Promise<Counted> {
    const counted = (await this.count(key, rule)) ?? (await this.open(key, rule));
    if (counted) return counted;
    throw await this.refusal(key);
  }

  /** Gives attempts back (their secret was right), so only failures stay counted. */
  async refund(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.models.Throttle.update(
      { failures: literal('failures - 1') },
      { where: { key: keys, failures: { [Op.gt]: 0 } } },
    );
  }

  async clear(key: string): Promise<void> {
    await this.models.Throttle.destroy({ where: { key } });
  }

  /** Removes ended windows: every address and username tried leaves a row behind. */
  async sweep(): Promise<number> {
    return this.models.Throttle.destroy({ where: { resetAt: { [Op.lte]: new Date() } } });
  }

  /** One more in the running window while below the limit, or the first of a window that ended. */
  private async count(key: string, rule: ThrottleRule): Promise<Counted | undefined> {
    const now = new Date();
    const [more] = await this.models.Throttle.update(
      { failures: literal('failures + 1') },
      { where: { key, resetAt: { [Op.gt]: now }, failures: { [Op.lt]: rule.limit } } },
    );
    if (more > 0) return 'more';
    const [restarted] = await this.models.Throttle.update(
      { failures: 1, resetAt: new Date(now.getTime() + rule.windowMs) },
      { where: { key, resetAt: { [Op.lte]: now } } },
    );
    return restarted > 0 ? 'first' : undefined;
  }

  /** The key's first window; when another request created it meanwhile, counts in that one. */
  private async open(key: string, rule: ThrottleRule): Promise<Counted | undefined> {
    try {
      await this.models.Throttle.create({
        key,
        failures: 1,
        resetAt: new Date(Date.now() + rule.windowMs),
      });
      return 'first';
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
      return this.count(key, rule);
    }
  }

  private async refusal(key: string): Promise<HttpError> {
    const row = await this.models.Throttle.findByPk(key);
    const waitMs = row ? row.resetAt.getTime() - Date.now() : 1000;
    return new HttpError('too_many_requests', 'Too many attempts; try again later', {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    });
  }
}
