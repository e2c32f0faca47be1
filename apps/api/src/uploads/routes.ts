import { Router, type RequestHandler } from 'express';
import {
  ChunkParams,
  CompleteUploadBody,
  CreateUploadBody,
  UploadIdParams,
} from '@filestore/contract';
import { currentUser } from '../http/authenticate.ts';
import { parse } from '../http/validate.ts';
import { toFileDto } from '../files/service.ts';
import { cancelUpload } from './cancel-upload.ts';
import { completeUpload } from './complete-upload.ts';
import type { UploadContext } from './context.ts';
import { initUpload } from './init-upload.ts';
import { putChunk } from './put-chunk.ts';
import { uploadStatus } from './upload-status.ts';

export function uploadRoutes(ctx: UploadContext, authenticated: RequestHandler): Router {
  const router = Router();
  router.use('/uploads', authenticated);

  router.post('/uploads', async (req, res) => {
    const result = await initUpload(ctx, currentUser(req).id, parse(CreateUploadBody, req.body));
    res.status(result.status).json(result.body);
  });

  router.put('/uploads/:id/chunks/:index', async (req, res) => {
    const { id, index } = parse(ChunkParams, req.params, 'index');
    await putChunk(ctx, req, currentUser(req).id, id, index);
    res.status(204).end();
  });

  router.get('/uploads/:id', async (req, res) => {
    const { id } = parse(UploadIdParams, req.params, 'id');
    res.json(await uploadStatus(ctx, currentUser(req).id, id));
  });

  router.post('/uploads/:id/complete', async (req, res) => {
    const { id } = parse(UploadIdParams, req.params, 'id');
    // The body is optional (today's clients send none).
    const { sha1 } = parse(CompleteUploadBody, req.body ?? {});
    const { file, cleanUp } = await completeUpload(ctx, currentUser(req).id, id, sha1);
    res.status(201).json({ file: toFileDto(file) });
    await cleanUp?.();
  });

  router.delete('/uploads/:id', async (req, res) => {
    const { id } = parse(UploadIdParams, req.params, 'id');
    await cancelUpload(ctx, currentUser(req).id, id);
    res.status(204).end();
  });

  return router;
}
