import { Router, type RequestHandler } from 'express';
import {
  FileIdParams,
  InstantUploadBody,
  ListFilesQuery,
  RenameFileBody,
} from '@filestore/contract';
import { currentUser } from '../http/authenticate.ts';
import { parse } from '../http/validate.ts';
import type { LocalStore } from '../storage/local-store.ts';
import { sendFile } from './download.ts';
import { receiveFormFile } from './form-upload.ts';
import type { InstantUploads } from './instant.ts';
import { toFileDto, type FileService } from './service.ts';

export interface FileRouteDeps {
  files: FileService;
  instant: InstantUploads;
  store: LocalStore;
  authenticated: RequestHandler;
  uploadMaxBytes: number;
  downloadMode: 'proxy' | 'redirect';
}

export function fileRoutes({
  files,
  instant,
  store,
  authenticated,
  uploadMaxBytes,
  downloadMode,
}: FileRouteDeps): Router {
  const router = Router();
  router.use('/files', authenticated);

  // GET /api/files?q=&limit=&cursor= → the caller's files, newest first: {items, nextCursor}
  router.get('/files', async (req, res) => {
    const query = parse(ListFilesQuery, req.query, 'query');
    res.json(await files.list(currentUser(req).id, query));
  });

  // POST /api/files multipart/form-data, field `file` → 201 {file} — the simple form upload, streamed
  router.post('/files', async (req, res) => {
    const user = currentUser(req);
    const received = await receiveFormFile(req, {
      maxBytes: uploadMaxBytes,
      tempPath: store.newTempPath(),
    });
    const file = await files.addUploaded(
      { userId: user.id, name: received.name, sha1: received.sha1, size: received.size },
      received.tempPath,
    );
    res.status(201).json({ file: toFileDto(file) });
  });

  // POST /api/files/instant {name, size, sha1} → 200 {challenge} when the content exists, else 404;
  // with {proof: {token, sha1}} → 201 {file} when the proof holds, else 403 bad_proof
  router.post('/files/instant', async (req, res) => {
    const { proof, ...body } = parse(InstantUploadBody, req.body);
    const userId = currentUser(req).id;
    if (!proof) {
      res.json({ challenge: await instant.challenge(userId, body.sha1, body.size) });
      return;
    }
    const file = await instant.prove({ userId, ...body }, proof.token, proof.sha1);
    res.status(201).json({ file: toFileDto(file) });
  });

  // GET /api/files/:id → 200 {file}; another user's id is 404
  router.get('/files/:id', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    res.json({ file: toFileDto(await files.get(currentUser(req).id, id)) });
  });

  // PATCH /api/files/:id {name} → 200 {file}
  router.patch('/files/:id', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    const { name } = parse(RenameFileBody, req.body);
    res.json({ file: toFileDto(await files.rename(currentUser(req).id, id, name)) });
  });

  // DELETE /api/files/:id → 204
  router.delete('/files/:id', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    await files.remove(currentUser(req).id, id);
    res.status(204).end();
  });

  // GET /api/files/:id/content → the bytes: Range (206), ETag, If-Range, Content-Disposition; for
  // content in OSS/S3 with DOWNLOAD_MODE=redirect, a 302 to a signed URL valid a few minutes
  router.get('/files/:id/content', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    const file = await files.get(currentUser(req).id, id);
    const signed =
      downloadMode === 'redirect' && (await files.contents.signedUrl(file.sha1, file.name));
    if (signed) {
      res.set('Cache-Control', 'no-store').redirect(302, signed);
      return;
    }
    await sendFile(req, res, {
      name: file.name,
      size: Number(file.size),
      sha1: file.sha1,
      open: (range) => files.contents.open(file.sha1, range),
    });
  });

  return router;
}
