import { Router, type RequestHandler } from 'express';
import { ContentQuery, FileIdParams, VersionParams } from '@filestore/contract';
import type { Sequelize } from 'sequelize';
import { sendFile } from '../files/download.ts';
import { toFileDto, type FileService } from '../files/service.ts';
import { currentUser } from '../http/authenticate.ts';
import { parse } from '../http/validate.ts';
import { restoreVersion } from './restore-version.ts';
import { toVersionDto, type FileVersions } from './service.ts';

export interface VersionRouteDeps {
  sequelize: Sequelize;
  files: FileService;
  versions: FileVersions;
  authenticated: RequestHandler;
}

export function versionRoutes(deps: VersionRouteDeps): Router {
  const { files, versions, authenticated } = deps;
  const router = Router();
  router.use('/files/:id/versions', authenticated);

  // GET /api/files/:id/versions → 200 {items: [{id, size, sha1, createdAt}]}, newest first, the
  // current content not included; another user's file is 404
  router.get('/files/:id/versions', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    const file = await files.get(currentUser(req).id, id);
    res.json({ items: (await versions.list(file.id)).map(toVersionDto) });
  });

  // POST /api/files/:id/versions/:versionId/restore → 200 {file}: that content becomes current;
  // the current one becomes a version
  router.post('/files/:id/versions/:versionId/restore', async (req, res) => {
    const { id, versionId } = parse(VersionParams, req.params, 'id');
    const file = await restoreVersion(deps, currentUser(req).id, id, versionId);
    res.json({ file: toFileDto(file) });
  });

  // GET /api/files/:id/versions/:versionId/content?disposition= → the version's bytes, with Range,
  // like file content (ETag: its SHA-1)
  router.get('/files/:id/versions/:versionId/content', async (req, res) => {
    const { id, versionId } = parse(VersionParams, req.params, 'id');
    const { disposition } = parse(ContentQuery, req.query, 'query');
    const file = await files.get(currentUser(req).id, id);
    const version = await versions.find(file.id, versionId);
    const content = { sha1: version.sha1, size: Number(version.size) };
    await sendFile(req, res, files.downloadable({ name: file.name, ...content }), { disposition });
  });

  return router;
}
