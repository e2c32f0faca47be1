// Fixed-window counters in the database (table window_counters, migration 007), shared by every API
// process. A count is taken by one conditional UPDATE, so parallel requests can never take more
// than the limit between them, on SQLite and on MySQL/MariaDB alike.
import { QueryTypes, type Sequelize } from 'sequelize';

export interface WindowRule {
  limit: number;
  windowMs: number;
}

export class WindowCounter {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Takes one from `key`'s allowance: undefined when taken, else the milliseconds until the
   * window ends and the allowance is whole again.
   */
  async take(key: string, rule: WindowRule): Promise<number | undefined> {
    const insert = this.sequelize.getDialect() === 'sqlite' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
    await this.sequelize.query(
      `${insert} INTO window_counters (counter_key, used, window_ends) VALUES (?, 0, 0)`,
      { replacements: [key] },
    );
    const now = Date.now();
    // MySQL assigns left to right and later assignments see earlier ones: `used` is set first,
    // while window_ends still holds the old value both expressions test.
    const taken = await this.sequelize.query(
      `UPDATE window_counters
          SET used = CASE WHEN window_ends <= :now THEN 1 ELSE used + 1 END,
              window_ends = CASE WHEN window_ends <= :now THEN :ends ELSE window_ends END
        WHERE counter_key = :key AND (window_ends <= :now OR used < :limit)`,
      {
        replacements: { key, now, ends: now + rule.windowMs, limit: rule.limit },
        type: QueryTypes.BULKUPDATE,
      },
    );
    if (taken === 1) return undefined;
    const [row] = await this.sequelize.query<{ window_ends: number | string }>(
      'SELECT window_ends FROM window_counters WHERE counter_key = ?',
      { replacements: [key], type: QueryTypes.SELECT, useMaster: true },
    );
    return Math.max(1000, Number(row?.window_ends ?? now) - now);
  }

  /**
   * Forgets windows that ended a day ago (a missing row and an ended window count the same; the
   * day keeps the sweep clear of a take that is between its INSERT and its UPDATE).
   */
  async sweep(): Promise<void> {
    await this.sequelize.query('DELETE FROM window_counters WHERE window_ends < ?', {
      replacements: [Date.now() - 24 * 3600 * 1000],
    });
  }
}
