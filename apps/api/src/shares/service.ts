// The owner's side of share links: create, list, revoke.
import type { CreateShareBody, ShareCreated, ShareItem } from '@filestore/contract';
import type { ModelStatic } from 'sequelize';
import type { FileService } from '../files/service.ts';
import { notFound } from '../http/errors.ts';
import type { ShareRow } from './models.ts';
import { newShareCode, newShareToken, type CodeHasher } from './secrets.ts';

// "My shares" shows the newest links; nobody keeps more live links than this in view.
const LIST_LIMIT = 1000;

/** The public page of a link, on the origin the caller used (the SPA serves /s/:token). */
export const shareUrl = (origin: string, token: string) => `${origin}/s/${token}`;

export class ShareService {
  constructor(
    private readonly Share: ModelStatic<ShareRow>,
    private readonly files: FileService,
    private readonly codes: CodeHasher,
  ) {}

  async create(
    userId: string,
    body: CreateShareBody,
    origin: string,
  ): Promise<ShareCreated['share']> {
    const file = await this.files.get(userId, body.fileId);
    const token = newShareToken();
    const code = body.withCode
      ? newShareCode(body.withCode === true ? 'short' : body.withCode)
      : undefined;
    const expiresAt = body.expiresInSeconds
      ? new Date(Date.now() + body.expiresInSeconds * 1000)
      : null;
    await this.Share.create({
      token,
      userId,
      userFileId: file.id,
      codeHash: code ? this.codes.hash(token, code) : null,
      expiresAt,
      maxDownloads: body.maxDownloads ?? null,
      downloads: 0,
      views: 0,
      revoked: false,
    });
    return {
      token,
      url: shareUrl(origin, token),
      ...(code && { code }),
      expiresAt: expiresAt?.toISOString() ?? null,
    };
  }

  /** The caller's links, newest first; revoked links and links to deleted files are not listed. */
  async list(userId: string, origin: string): Promise<ShareItem[]> {
    const shares = await this.Share.findAll({
      where: { userId, revoked: false },
      order: [['createdAt', 'DESC']],
      limit: LIST_LIMIT,
    });
    const files = new Map(
      (await this.files.findLiveMany(shares.map((share) => share.userFileId))).map((file) => [
        file.id,
        file,
      ]),
    );
    return shares.flatMap((share) => {
      const file = files.get(share.userFileId);
      if (!file) return [];
      return [
        {
          token: share.token,
          url: shareUrl(origin, share.token),
          fileId: file.id,
          name: file.name,
          size: Number(file.size),
          hasCode: share.codeHash !== null,
          expiresAt: share.expiresAt?.toISOString() ?? null,
          maxDownloads: share.maxDownloads,
          downloads: share.downloads,
          views: share.views,
          createdAt: share.createdAt.toISOString(),
        },
      ];
    });
  }

  /** Revoked at once: every later request for the link, its content included, answers 410. */
  async revoke(userId: string, token: string): Promise<void> {
    const [changed] = await this.Share.update(
      { revoked: true },
      { where: { token, userId, revoked: false } },
    );
    if (changed === 0) throw notFound('share');
  }
}
