// Session tokens: 256 random bits; only their SHA-256 is stored, so a leaked table grants nothing.
import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { AccountModels, UserRow } from './models.ts';

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
// Sliding expiry is refreshed at most once a minute per session, not on every request.
const TOUCH_EVERY_MS = 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class Sessions {
  constructor(private readonly models: AccountModels) {}

  async create(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.models.Session.create({
      tokenHash: hashToken(token),
      userId,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    return token;
  }

  /** The user behind a live token, extending its expiry; undefined when unknown, expired or revoked. */
  async resolve(token: string): Promise<{ user: UserRow; refreshed: boolean } | undefined> {
    const session = await this.models.Session.findOne({
      where: { tokenHash: hashToken(token), expiresAt: { [Op.gt]: new Date() } },
    });
    if (!session) return undefined;
    const user = await this.models.User.findByPk(session.userId);
    if (!user) return undefined;
    const now = Date.now();
    const refreshed = now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS;
    if (refreshed) {
      // Best effort: with the primary down the session still works; a later request slides it.
      await session
        .update({ lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_TTL_MS) })
        .catch((err: unknown) => {
          if (!isDatabaseUnavailable(err)) throw err;
        });
    }
    return { user, refreshed };
  }

  async revoke(token: string): Promise<void> {
    await this.models.Session.destroy({ where: { tokenHash: hashToken(token) } });
  }

  /** Drops expired sessions; run periodically. */
  async sweep(): Promise<number> {
    return this.models.Session.destroy({ where: { expiresAt: { [Op.lte]: new Date() } } });
  }
}
