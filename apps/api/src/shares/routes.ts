import { Router, type Request, type RequestHandler } from 'express';
import {
  CreateShareBody,
  SHARE_CODE_HEADER,
  ShareCodeQuery,
  ShareToken,
} from '@filestore/contract';
import { sendFile } from '../files/download.ts';
import { toFileDto, type FileService } from '../files/service.ts';
import { currentUser } from '../http/authenticate.ts';
import { notFound } from '../http/errors.ts';
import { originOf } from '../http/origin.ts';
import { parse } from '../http/validate.ts';
import type { ShareAccess } from './access.ts';
import type { ShareService } from './service.ts';

export interface ShareRouteDeps {
  shares: ShareService;
  access: ShareAccess;
  files: FileService;
  authenticated: RequestHandler;
}

/** Anything that is not a token names no share: 404, like an unknown one. */
function tokenOf(req: Request): string {
  const token = ShareToken.safeParse(req.params.token);
  if (!token.success) throw notFound('share');
  return token.data;
}

/** The token, and the code from `X-Share-Code` or `?code=` (so a plain link can download). */
function visit(req: Request) {
  const { code } = parse(ShareCodeQuery, req.query, 'query');
  return { token: tokenOf(req), code: req.get(SHARE_CODE_HEADER) ?? code, ip: req.ip ?? 'unknown' };
}

export function shareRoutes({ shares, access, files, authenticated }: ShareRouteDeps): Router {
  const router = Router();
  router.use('/shares', authenticated);

  // POST /api/shares {fileId, expiresInSeconds?, withCode?, maxDownloads?} → 201 {share}
  router.post('/shares', async (req, res) => {
    const body = parse(CreateShareBody, req.body);
    const share = await shares.create(currentUser(req).id, body, originOf(req));
    res.status(201).json({ share });
  });

  // GET /api/shares → {items}: the caller's links, newest first (revoked ones are not listed)
  router.get('/shares', async (req, res) => {
    res.json({ items: await shares.list(currentUser(req).id, originOf(req)) });
  });

  // DELETE /api/shares/:token → 204: revoked at once
  router.delete('/shares/:token', async (req, res) => {
    await shares.revoke(currentUser(req).id, tokenOf(req));
    res.status(204).end();
  });

  // POST /api/shares/:token/save → 201 {file}: the shared file in the caller's root, instantly
  // (one more reference to the content; no bytes move); "a save counts as a download" (DESIGN.md):
  // 410 share_gone when none are left
  router.post('/shares/:token/save', async (req, res) => {
    const { token, code, ip } = visit(req);
    const { share, file } = await access.open(token, code, ip);
    const saved = await access.countSave(share, () =>
      files.addExisting({
        userId: currentUser(req).id,
        name: file.name,
        sha1: file.sha1,
        size: Number(file.size),
      }),
    );
    res.status(201).json({ file: toFileDto(saved) });
  });

  // GET /api/public/shares/:token (X-Share-Code) → {name, size, owner, expiresAt}; 401
  // code_required, 403 bad_code, 404 unknown, 410 share_gone, 429 too many wrong codes
  router.get('/public/shares/:token', async (req, res) => {
    const { token, code, ip } = visit(req);
    const { share, file } = await access.open(token, code, ip);
    access.assertLeft(share);
    await access.countView(share);
    res.set('Cache-Control', 'no-store').json({
      name: file.name,
      size: Number(file.size),
      owner: await access.ownerName(share),
      expiresAt: share.expiresAt?.toISOString() ?? null,
    });
  });

  // GET /api/public/shares/:token/content → the bytes, with Range, always streamed through here;
  // every GET counts as a download, but a range the same address fetches shortly after its counted
  // download continues that one; 410 share_gone when none are left. HEAD serves no bytes: no count.
  router.get('/public/shares/:token/content', async (req, res) => {
    const { token, code, ip } = visit(req);
    const { share, file } = await access.open(token, code, ip);
    const bytes = files.downloadable(file);
    await sendFile(
      req,
      res,
      { ...bytes, open: async (range) => access.watch(share, await bytes.open(range)) },
      {
        onStart: async (range) => {
          if (req.method === 'GET') await access.startDownload(share, ip, range);
          else access.assertLeft(share);
        },
      },
    );
  });

  return router;
}
