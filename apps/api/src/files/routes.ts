import express, { Router, type RequestHandler } from 'express';
import {
  ArchiveBody,
  ContentQuery,
  FileIdParams,
  FormUploadQuery,
  InstantUploadBody,
  ListFilesQuery,
  UpdateFileBody,
} from '@filestore/contract';
import type { AccountService } from '../auth/service.ts';
import type { FolderService } from '../folders/service.ts';
import { currentUser } from '../http/authenticate.ts';
import { parse } from '../http/validate.ts';
import type { LocalStore } from '../storage/local-store.ts';
import { sendArchive } from './archive.ts';
import { sendFile } from './download.ts';
import { receiveFormFile } from './form-upload.ts';
import type { InstantUploads } from './instant.ts';
import { toFileDto, type FileService } from './service.ts';

export interface FileRouteDeps {
  files: FileService;
  folders: FolderService;
  accounts: AccountService;
  instant: InstantUploads;
  store: LocalStore;
  authenticated: RequestHandler;
  uploadMaxBytes: number;
  downloadMode: 'proxy' | 'redirect';
}

/** A form field that carries JSON; undefined when it does not (the schema then says what is wrong). */
function jsonField(value: unknown): unknown {
  try {
    return typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
}

export function fileRoutes(deps: FileRouteDeps): Router {
  const { files, accounts, instant, store, authenticated, uploadMaxBytes, downloadMode } = deps;
  const router = Router();
  router.use('/files', authenticated);

  // GET /api/files?q=&folderId=&sort=&order=&limit=&cursor= → one folder's files (or the matches of
  // q in every folder), sorted: {items, nextCursor}
  router.get('/files', async (req, res) => {
    const query = parse(ListFilesQuery, req.query, 'query');
    res.json(await files.list(currentUser(req).id, query));
  });

  // POST /api/files?folderId=&onConflict= multipart/form-data, field `file` → 201 {file} — the
  // simple form upload, streamed; 413 quota_exceeded before or while reading when it does not fit;
  // a name taken: keep both, replace (the old content becomes a version) or 409 name_taken
  router.post('/files', async (req, res) => {
    const user = currentUser(req);
    const { folderId, onConflict } = parse(FormUploadQuery, req.query, 'query');
    await deps.folders.target(user.id, folderId);
    const received = await receiveFormFile(req, {
      maxBytes: uploadMaxBytes,
      roomBytes: await accounts.roomLeft(user.id),
      tempPath: store.newTempPath(),
    });
    const { name, sha1, size, tempPath } = received;
    const file = await files.addUploaded(
      { userId: user.id, folderId, name, sha1, size, onConflict },
      tempPath,
    );
    res.status(201).json({ file: toFileDto(file) });
  });

  // POST /api/files/instant {name, size, sha1, folderId?, onConflict?} → 200 {challenge} when the
  // content exists, else 404; 429 beyond the caller's probe budget; with {proof: {token, hmac}} →
  // 201 {file} when the proof holds, else 403 bad_proof; 413 quota_exceeded when it does not fit;
  // a name taken: as onConflict says (409 name_taken with `fail`)
  router.post('/files/instant', async (req, res) => {
    const { proof, ...body } = parse(InstantUploadBody, req.body);
    const userId = currentUser(req).id;
    await accounts.assertRoom(userId, body.size);
    if (!proof) {
      res.json({ challenge: await instant.challenge(userId, body.sha1, body.size) });
      return;
    }
    const file = await instant.prove({ userId, ...body }, proof.token, proof.hmac);
    res.status(201).json({ file: toFileDto(file) });
  });

  // POST /api/files/archive {fileIds, folderIds?, name?} → the selection as one streamed zip. A
  // browser form may post the same JSON in the field `selection`: the zip then downloads natively,
  // streamed to disk, instead of being held in the page.
  router.post(
    '/files/archive',
    express.urlencoded({ extended: false, limit: '64kb' }),
    async (req, res) => {
      const form = req.is('application/x-www-form-urlencoded');
      const selection = parse(ArchiveBody, form ? jsonField(req.body?.selection) : req.body);
      await sendArchive(deps, res, currentUser(req).id, selection);
    },
  );

  // GET /api/files/:id → 200 {file}; another user's id is 404
  router.get('/files/:id', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    res.json({ file: toFileDto(await files.get(currentUser(req).id, id)) });
  });

  // PATCH /api/files/:id {name?, folderId?} → 200 {file}: rename and/or move
  router.patch('/files/:id', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    const changes = parse(UpdateFileBody, req.body);
    res.json({ file: toFileDto(await files.update(currentUser(req).id, id, changes)) });
  });

  // DELETE /api/files/:id moves the file to the trash: trash/routes.ts.

  // GET /api/files/:id/content?disposition=inline|attachment → the bytes: Range (206), ETag,
  // If-Range, Content-Disposition (inline for the viewer); for content in OSS/S3 with
  // DOWNLOAD_MODE=redirect, a download is a 302 to a signed URL valid a few minutes
  router.get('/files/:id/content', async (req, res) => {
    const { id } = parse(FileIdParams, req.params, 'id');
    const { disposition } = parse(ContentQuery, req.query, 'query');
    const file = await files.get(currentUser(req).id, id);
    const signed =
      downloadMode === 'redirect' &&
      disposition === 'attachment' &&
      (await files.contents.signedUrl(file.sha1, file.name));
    if (signed) {
      res.set('Cache-Control', 'no-store').redirect(302, signed);
      return;
    }
    await sendFile(req, res, files.downloadable(file), { disposition });
  });

  return router;
}
