// The visitor's side of a share link: check it (alive, code, throttle), count views and downloads,
// and cut a download off when the link dies while it streams.
import type { Readable } from 'node:stream';
import { Op, literal, type ModelStatic } from 'sequelize';
import type { ThrottleRule } from '../auth/throttle.ts';
import type { AccountService } from '../auth/service.ts';
import type { UserFileRow } from '../files/models.ts';
import type { FileService } from '../files/service.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { ShareRow } from './models.ts';
import type { CodeHasher } from './secrets.ts';

// Wrong codes in 15 minutes, then 429 until the window ends (issue 10, item 4): 10 per link and
// address, so ten wrong codes from one address do not lock the link for every visitor; 50 per
// address over every link; and a generous 1,000 per link over every address (a long code, 31⁸
// possibilities, outlasts that ceiling for ages).
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const PER_LINK_ADDRESS: ThrottleRule = { limit: 10, windowMs: FIFTEEN_MINUTES };
const PER_ADDRESS: ThrottleRule = { limit: 50, windowMs: FIFTEEN_MINUTES };
const PER_LINK: ThrottleRule = { limit: 1000, windowMs: FIFTEEN_MINUTES };

/** How often a running share download checks that its link is still alive. */
export const WATCH_INTERVAL_MS = 1000;

const gone = () =>
  new HttpError('share_gone', 'This link has expired, was revoked or used up, or its file is gone');

export interface OpenShare {
  share: ShareRow;
  file: UserFileRow;
}

export class ShareAccess {
  constructor(
    private readonly Share: ModelStatic<ShareRow>,
    private readonly files: FileService,
    private readonly accounts: AccountService,
    private readonly codes: CodeHasher,
  ) {}

  /**
   * The share and its file, for a visitor who has the code when one is needed: 404 unknown,
   * 410 share_gone, 401 code_required, 403 bad_code, 429 after too many wrong codes.
   */
  async open(token: string, code: string | undefined, ip: string): Promise<OpenShare> {
    const share = await this.Share.findByPk(token);
    if (!share) throw notFound('share');
    const file = await this.liveFile(share);
    if (!file || (share.maxDownloads !== null && share.downloads >= share.maxDownloads))
      throw gone();
    if (share.codeHash !== null) await this.checkCode(share, code, ip);
    return { share, file };
  }

  async countView(share: ShareRow): Promise<void> {
    await this.Share.increment('views', { where: { token: share.token } });
  }

  /** Counts one download; 410 when the limit was reached meanwhile (one conditional UPDATE). */
  async countDownload(share: ShareRow): Promise<void> {
    const [changed] = await this.Share.update(
      { downloads: literal('downloads + 1') },
      {
        where: {
          token: share.token,
          revoked: false,
          [Op.or]: [{ maxDownloads: null }, literal('downloads < max_downloads')],
        },
      },
    );
    if (changed === 0) throw gone();
  }

  /** Owner's name for the public page. */
  async ownerName(share: ShareRow): Promise<string> {
    return (await this.accounts.find(share.userId))?.username ?? '';
  }

  /**
   * Destroys `stream` as soon as the link is revoked, expires or loses its file: a revoke takes
   * effect at once, even for a download already running (every process sees it in the database).
   */
  watch(share: ShareRow, stream: Readable): Readable {
    const timer = setInterval(() => {
      this.Share.findByPk(share.token)
        .then((now) => (now ? this.liveFile(now) : undefined))
        .then((file) => {
          if (!file) stream.destroy(gone());
        })
        .catch(() => undefined); // a database hiccup does not cut a download; the next check runs
    }, WATCH_INTERVAL_MS);
    stream.once('close', () => clearInterval(timer));
    return stream;
  }

  /** The shared file while the link is neither revoked nor expired; undefined otherwise. */
  private async liveFile(share: ShareRow): Promise<UserFileRow | undefined> {
    if (share.revoked || (share.expiresAt && share.expiresAt.getTime() <= Date.now()))
      return undefined;
    return this.files.findLive(share.userFileId);
  }

  private async checkCode(share: ShareRow, code: string | undefined, ip: string): Promise<void> {
    if (!code) throw new HttpError('code_required', 'This link needs its extraction code');
    const { throttle } = this.accounts;
    const perLink = `share:token:${share.token}`;
    const perAddress = `share:ip:${ip}`;
    const perBoth = `${perLink}@${ip}`;
    // Counted before the code is checked, so parallel guesses cannot overshoot the limits.
    await throttle.take(perBoth, PER_LINK_ADDRESS);
    await throttle.take(perAddress, PER_ADDRESS);
    await throttle.take(perLink, PER_LINK);
    if (!this.codes.matches(share.token, code, share.codeHash!))
      throw new HttpError('bad_code', 'Wrong extraction code');
    await throttle.clear(perBoth);
    await throttle.refund([perAddress, perLink]);
  }
}
