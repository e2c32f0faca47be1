// The visitor's side of a share link: check it (alive, code, throttle), count views, downloads and
// saves, and cut a download off when the link dies while it streams.
import type { Readable } from 'node:stream';
import { Op, literal, type ModelStatic } from 'sequelize';
import type { ThrottleRule } from '../auth/throttle.ts';
import type { AccountService } from '../auth/service.ts';
import type { UserFileRow } from '../files/models.ts';
import type { FileService } from '../files/service.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { ByteRange } from '../storage/object-store.ts';
import type { ShareResumeRow, ShareRow } from './models.ts';
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

// "A range resuming a download already counted may continue briefly" (DESIGN.md): for this long
// after its counted download, the same address may fetch further ranges without a new count.
const RESUME_MS = 10 * 60 * 1000;

const gone = () =>
  new HttpError('share_gone', 'This link has expired, was revoked or used up, or its file is gone');

export interface OpenShare {
  share: ShareRow;
  file: UserFileRow;
}

export class ShareAccess {
  constructor(
    private readonly Share: ModelStatic<ShareRow>,
    private readonly Resume: ModelStatic<ShareResumeRow>,
    private readonly files: FileService,
    private readonly accounts: AccountService,
    private readonly codes: CodeHasher,
  ) {}

  /**
   * The share and its file, for a visitor who has the code when one is needed: 404 unknown,
   * 410 share_gone, 401 code_required, 403 bad_code, 429 after too many wrong codes. A link whose
   * downloads are used up is still open here (a counted download may resume); see `assertLeft`.
   */
  async open(token: string, code: string | undefined, ip: string): Promise<OpenShare> {
    const share = await this.Share.findByPk(token);
    if (!share) throw notFound('share');
    const file = await this.liveFile(share);
    if (!file) throw gone();
    if (share.codeHash !== null) await this.checkCode(share, code, ip);
    return { share, file };
  }

  /** 410 share_gone when the link's downloads are used up. */
  assertLeft(share: ShareRow): void {
    if (share.maxDownloads !== null && share.downloads >= share.maxDownloads) throw gone();
  }

  async countView(share: ShareRow): Promise<void> {
    await this.Share.increment('views', { where: { token: share.token } });
  }

  /**
   * Before a response serves bytes: "a share download counts when a response that serves bytes
   * begins (any range; a range resuming a download already counted may continue briefly)"
   * (DESIGN.md). A range not from byte 0, from an address whose download counted less than
   * RESUME_MS ago, continues it; anything else counts (410 when none are left).
   */
  async startDownload(share: ShareRow, ip: string, range: ByteRange | undefined): Promise<void> {
    const visitor = { shareToken: share.token, address: ip.slice(0, 64) }; // the column's width
    if (range && range.start > 0) {
      const live = { ...visitor, expiresAt: { [Op.gt]: Date.now() } };
      if ((await this.Resume.count({ where: live })) > 0) return;
    }
    await this.countDownload(share);
    await this.Resume.upsert({ ...visitor, expiresAt: Date.now() + RESUME_MS });
  }

  /** A save to someone's drive is a download too: counted, and given back if the save fails. */
  async countSave<T>(share: ShareRow, save: () => Promise<T>): Promise<T> {
    await this.countDownload(share);
    try {
      return await save();
    } catch (err) {
      await this.Share.decrement('downloads', { where: { token: share.token } });
      throw err;
    }
  }

  async sweep(): Promise<void> {
    await this.Resume.destroy({ where: { expiresAt: { [Op.lt]: Date.now() } } });
  }

  /** Counts one download; 410 when the limit was reached meanwhile (one conditional UPDATE). */
  private async countDownload(share: ShareRow): Promise<void> {
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
