import { Router, type RequestHandler } from 'express';
import {
  CreateFolderBody,
  FolderIdParams,
  ListFoldersQuery,
  UpdateFolderBody,
} from '@filestore/contract';
import { currentUser } from '../http/authenticate.ts';
import { parse } from '../http/validate.ts';
import { toFolderDto, type FolderService } from './service.ts';

export interface FolderRouteDeps {
  folders: FolderService;
  authenticated: RequestHandler;
}

export function folderRoutes(deps: FolderRouteDeps): Router {
  const { folders, authenticated } = deps;
  const router = Router();
  router.use('/folders', authenticated);

  // POST /api/folders {name, parentId?} → 201 {folder}; a name taken among its siblings gets " (1)"…
  router.post('/folders', async (req, res) => {
    const { name, parentId } = parse(CreateFolderBody, req.body);
    const folder = await folders.create(currentUser(req).id, name, parentId);
    res.status(201).json({ folder: toFolderDto(folder) });
  });

  // GET /api/folders?parentId= → {items: [folder]}, the children by name
  router.get('/folders', async (req, res) => {
    const { parentId } = parse(ListFoldersQuery, req.query, 'query');
    const items = await folders.children(currentUser(req).id, parentId);
    res.json({ items: items.map(toFolderDto) });
  });

  // GET /api/folders/:id → {folder, path}: path = breadcrumbs from the root's child down
  router.get('/folders/:id', async (req, res) => {
    const { id } = parse(FolderIdParams, req.params, 'id');
    res.json(await folders.withPath(currentUser(req).id, id));
  });

  // PATCH /api/folders/:id {name?, parentId?} → 200 {folder}; into itself or below → 400 invalid_move
  router.patch('/folders/:id', async (req, res) => {
    const { id } = parse(FolderIdParams, req.params, 'id');
    const changes = parse(UpdateFolderBody, req.body);
    res.json({ folder: toFolderDto(await folders.update(currentUser(req).id, id, changes)) });
  });

  // DELETE /api/folders/:id moves the folder to the trash: trash/routes.ts.

  return router;
}
