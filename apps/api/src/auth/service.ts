// Accounts: register, login, logout, and the user as the API shows it.
import type { User } from '@filestore/contract';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { HttpError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { AccountModels, UserRow } from './models.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.ts';
import { Sessions } from './sessions.ts';
import { Throttle, type ThrottleRule } from './throttle.ts';

const PER_USERNAME: ThrottleRule = { limit: 5, windowMs: 15 * 60 * 1000 };
const PER_IP: ThrottleRule = { limit: 30, windowMs: 15 * 60 * 1000 };

export const usernameKey = (username: string) => username.normalize('NFC').toLowerCase();

export const toUserDto = (user: UserRow): User => ({
  id: user.id,
  username: user.username,
  usedBytes: Number(user.usedBytes),
  quotaBytes: user.quotaBytes === null ? null : Number(user.quotaBytes),
});

export class AccountService {
  readonly sessions: Sessions;
  private readonly throttle: Throttle;

  constructor(
    private readonly models: AccountModels,
    private readonly defaultQuotaBytes: number | null,
  ) {
    this.sessions = new Sessions(models);
    this.throttle = new Throttle(models);
  }

  async register(username: string, password: string): Promise<UserRow> {
    const { hash, salt } = await hashPassword(password);
    try {
      return await this.models.User.create({
        id: newId(),
        username: username.normalize('NFC'),
        usernameKey: usernameKey(username),
        passwordHash: hash,
        passwordSalt: salt,
        quotaBytes: this.defaultQuotaBytes,
      });
    } catch (err) {
      if (err instanceof UniqueConstraintError) {
        throw new HttpError('username_taken', 'That username is taken');
      }
      throw err;
    }
  }

  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; user: UserRow }> {
    const key = usernameKey(username);
    const throttled: [string, ThrottleRule][] = [
      [`login:user:${key}`, PER_USERNAME],
      [`login:ip:${ip}`, PER_IP],
    ];
    await this.throttle.assertAllowed(throttled);
    const user = await this.models.User.findOne({ where: { usernameKey: key } });
    const ok = user
      ? await verifyPassword(password, user.passwordHash, user.passwordSalt)
      : (await burnPasswordCheck(password), false);
    if (!user || !ok) {
      await this.throttle.recordFailure(throttled);
      throw new HttpError('invalid_credentials', 'Wrong username or password');
    }
    await this.throttle.clear(`login:user:${key}`);
    return { token: await this.sessions.create(user.id), user };
  }

  /** Adds (or, negative, subtracts) bytes to a user's usage, inside the caller's transaction. */
  async addUsedBytes(userId: string, delta: number, transaction: Transaction): Promise<void> {
    await this.models.User.increment({ usedBytes: delta }, { where: { id: userId }, transaction });
  }
}
