import { Router, type RequestHandler } from 'express';
import { FileIdParams, FolderIdParams, ListTrashQuery, TrashIdParams } from '@filestore/contract';
import { currentUser } from '../http/authenticate.ts';
import { notFound } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import type { TrashPurge } from './purge.ts';
import type { TrashService } from './service.ts';

export interface TrashRouteDeps {
  trash: TrashService;
  purge: TrashPurge;
  authenticated: RequestHandler;
}

export function trashRoutes({ trash, purge, authenticated }: TrashRouteDeps): Router {
  const router = Router();
  router.use('/trash', authenticated);

  // DELETE /api/files/:id → 204: the file moves to the trash; another user's id is 404
  router.delete('/files/:id', authenticated, async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    await trash.trashFile(currentUser(req).id, id);
    res.status(204).end();
  });

  // DELETE /api/folders/:id → 204: the folder moves to the trash with everything inside
  router.delete('/folders/:id', authenticated, async (req, res) => {
    const { id } = parse(FolderIdParams, req.params, 'id');
    await trash.trashFolder(currentUser(req).id, id);
    res.status(204).end();
  });

  // GET /api/trash?limit=&cursor= → {items: [{id, kind, name, size, deletedAt, originalPath}],
  // nextCursor}, newest first; only top-level items
  router.get('/trash', async (req, res) => {
    const query = parse(ListTrashQuery, req.query, 'query');
    res.json(await trash.list(currentUser(req).id, query));
  });

  // POST /api/trash/:id/restore → 200 {file} or {folder}, back where it was (else the root)
  router.post('/trash/:id/restore', async (req, res) => {
    const { id } = parse(TrashIdParams, req.params, 'id');
    res.json(await trash.restore(currentUser(req).id, id));
  });

  // DELETE /api/trash/:id → 204: gone for good; a purged (or another user's) id is 404
  router.delete('/trash/:id', async (req, res) => {
    const { id } = parse(TrashIdParams, req.params, 'id');
    if (!(await purge.purge(currentUser(req).id, id))) throw notFound('trash item');
    res.status(204).end();
  });

  // DELETE /api/trash → 204: the trash is empty
  router.delete('/trash', async (req, res) => {
    await purge.empty(currentUser(req).id);
    res.status(204).end();
  });

  return router;
}
