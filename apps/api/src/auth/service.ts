// Accounts: register, login, logout, and the user as the API shows it.
import type { User } from '@filestore/contract';
import { literal, Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { HttpError, quotaExceeded } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { AccountModels, Role, UserRow } from './models.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.ts';
import { Sessions } from './sessions.ts';
import { Throttle, type ThrottleRule } from './throttle.ts';

const FIFTEEN_MINUTES = 15 * 60 * 1000;
// Failed logins (issue 10, item 4): 5 per username and address; 30 per address whatever the
// username; and, per username, 20 over every address — but an address's first attempt is never
// refused by that one: under a spread-out attack each address gets one try per window, and the
// owner, typing the right password from an address with no failures, still gets in.
const PER_USERNAME_ADDRESS: ThrottleRule = { limit: 5, windowMs: FIFTEEN_MINUTES };
const PER_ADDRESS: ThrottleRule = { limit: 30, windowMs: FIFTEEN_MINUTES };
const PER_USERNAME: ThrottleRule = { limit: 20, windowMs: FIFTEEN_MINUTES };

export const usernameKey = (username: string) => username.normalize('NFC').toLowerCase();

export const toUserDto = (user: UserRow): User => ({
  id: user.id,
  username: user.username,
  usedBytes: Number(user.usedBytes),
  quotaBytes: user.quotaBytes === null ? null : Number(user.quotaBytes),
  role: user.role,
});

export class AccountService {
  readonly sessions: Sessions;
  /** Failure counters shared by every process (login, and wrong share codes). */
  readonly throttle: Throttle;

  constructor(
    private readonly models: AccountModels,
    private readonly defaultQuotaBytes: number | null,
  ) {
    this.sessions = new Sessions(models);
    this.throttle = new Throttle(models);
  }

  /** Creates an account (whatever REGISTRATION says); the first account is the administrator. */
  async register(username: string, password: string): Promise<UserRow> {
    const { hash, salt } = await hashPassword(password);
    const create = (role: Role) =>
      this.models.User.create({
        id: newId(),
        username: username.normalize('NFC'),
        usernameKey: usernameKey(username),
        passwordHash: hash,
        passwordSalt: salt,
        quotaBytes: this.defaultQuotaBytes,
        role,
        firstAccount: role === 'admin' ? true : null,
      });
    try {
      // "The first account becomes the administrator", also when many register at once: every
      // registration that finds no account claims first_account, and its unique index lets one win.
      if (!(await this.models.User.findOne({ attributes: ['id'] }))) {
        try {
          return await create('admin');
        } catch (err) {
          if (!(err instanceof UniqueConstraintError)) throw err;
        }
      }
      return await create('user');
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
    const { throttle } = this;
    const perUsername = `login:user:${key}`;
    const perAddress = `login:ip:${ip}`;
    const perBoth = `${perUsername}@${ip}`;
    const first = (await throttle.take(perBoth, PER_USERNAME_ADDRESS)) === 'first';
    await throttle.take(perAddress, PER_ADDRESS);
    if (!first) await throttle.take(perUsername, PER_USERNAME);
    const user = await this.models.User.findOne({ where: { usernameKey: key } });
    const ok = user
      ? await verifyPassword(password, user.passwordHash, user.passwordSalt)
      : (await burnPasswordCheck(password), false);
    if (!user || !ok) throw new HttpError('invalid_credentials', 'Wrong username or password');
    await throttle.clear(perBoth);
    await throttle.refund(first ? [perAddress] : [perAddress, perUsername]);
    return { token: await this.sessions.create(user.id), user };
  }

  async find(userId: string): Promise<UserRow | undefined> {
    return (await this.models.User.findByPk(userId)) ?? undefined;
  }

  /** Bytes the user may still add (Infinity without a quota). */
  async roomLeft(userId: string): Promise<number> {
    const user = await this.models.User.findByPk(userId);
    if (!user || user.quotaBytes === null) return Infinity;
    return Math.max(0, Number(user.quotaBytes) - Number(user.usedBytes));
  }

  /** 413 quota_exceeded unless `bytes` more fit: the early check, before any byte is received. */
  async assertRoom(userId: string, bytes: number): Promise<void> {
    if (bytes > (await this.roomLeft(userId))) throw quotaExceeded();
  }

  /**
   * Adds (or, negative, subtracts) bytes to a user's usage, inside the caller's transaction. An
   * addition beyond the quota is 413 quota_exceeded: one conditional UPDATE, so concurrent uploads
   * cannot together overshoot it.
   */
  async addUsedBytes(userId: string, delta: number, transaction: Transaction): Promise<void> {
    if (delta <= 0) {
      if (delta < 0)
        await this.models.User.increment(
          { usedBytes: delta },
          { where: { id: userId }, transaction },
        );
      return;
    }
    if (!Number.isSafeInteger(delta)) throw new Error(`not a byte count: ${delta}`);
    const grown = `used_bytes + ${delta}`;
    const [changed] = await this.models.User.update(
      { usedBytes: literal(grown) },
      {
        where: {
          id: userId,
          [Op.or]: [{ quotaBytes: null }, literal(`${grown} <= quota_bytes`)],
        },
        transaction,
      },
    );
    if (changed === 0) throw quotaExceeded();
  }
}
