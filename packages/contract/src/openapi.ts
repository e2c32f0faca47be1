// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from './zod.ts';
import { ErrorBody } from './common.ts';
import { Credentials, LoginBody, LoginResponse, UserResponse } from './auth.ts';
import {
  ArchiveBody,
  ContentQuery,
  FileIdParams,
  FileResponse,
  FormUploadQuery,
  InstantChallenge,
  InstantUploadBody,
  ListFilesQuery,
  ListFilesResponse,
  UpdateFileBody,
} from './files.ts';
import {
  CreateFolderBody,
  FolderIdParams,
  FolderResponse,
  FolderWithPath,
  ListFoldersQuery,
  ListFoldersResponse,
  UpdateFolderBody,
} from './folders.ts';
import {
  CreateShareBody,
  ListSharesResponse,
  PublicShare,
  ShareCodeQuery,
  ShareCreated,
  ShareTokenParams,
} from './shares.ts';
import {
  CompleteUploadBody,
  ContentMd5,
  CreateUploadBody,
  InstantAvailable,
  UploadCreated,
  UploadIdParams,
  UploadStatus,
} from './uploads.ts';
import { ListTrashQuery, ListTrashResponse, RestoredResponse, TrashIdParams } from './trash.ts';
import { ListVersionsResponse, VersionParams } from './versions.ts';

type Responses = RouteConfig['responses'];

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = (...codes: number[]): Responses =>
  Object.fromEntries(codes.map((status) => [status, json('Error', ErrorBody)]));
const jsonBody = (schema: z.ZodType) => ({
  body: { content: { 'application/json': { schema } } },
});
const rangeHeaders = z.object({
  range: z.string().optional(),
  'if-range': z.string().optional(),
});
const shareCode = z.object({ 'x-share-code': z.string().optional() });
const bytes = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
});

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'fs_session',
  });
  const secured: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
  const route = (config: RouteConfig) => registry.registerPath({ security: secured, ...config });

  registry.registerPath({
    method: 'post',
    path: '/api/auth/register',
    request: jsonBody(Credentials),
    responses: { 201: json('Registered', UserResponse), ...errors(400, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/auth/login',
    request: jsonBody(LoginBody),
    responses: {
      200: json('Logged in; also sets the cookie', LoginResponse),
      ...errors(400, 401, 429),
    },
  });
  route({
    method: 'post',
    path: '/api/auth/logout',
    responses: { 204: { description: 'The token stops working' }, ...errors(401) },
  });
  route({
    method: 'get',
    path: '/api/me',
    responses: { 200: json('The caller', UserResponse), ...errors(401) },
  });
  route({
    method: 'get',
    path: '/api/files',
    request: { query: ListFilesQuery },
    responses: {
      200: json('The caller’s files in one folder (or matching q), sorted', ListFilesResponse),
      ...errors(400, 401),
    },
  });
  route({
    method: 'post',
    path: '/api/files',
    request: {
      query: FormUploadQuery,
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({ file: z.string().openapi({ format: 'binary' }) }),
          },
        },
      },
    },
    responses: {
      201: json(
        'Stored (onConflict=replace: the existing file, with the new content)',
        FileResponse,
      ),
      ...errors(400, 401, 404, 409, 413, 507),
    },
  });
  route({
    method: 'get',
    path: '/api/files/{id}',
    request: { params: FileIdParams },
    responses: { 200: json('Meta', FileResponse), ...errors(401, 404) },
  });
  route({
    method: 'patch',
    path: '/api/files/{id}',
    request: { params: FileIdParams, ...jsonBody(UpdateFileBody) },
    responses: {
      200: json('Renamed and/or moved', FileResponse),
      ...errors(400, 401, 404, 409),
    },
  });
  route({
    method: 'delete',
    path: '/api/files/{id}',
    request: { params: FileIdParams },
    responses: { 204: { description: 'Moved to the trash' }, ...errors(401, 404) },
  });
  route({
    method: 'get',
    path: '/api/files/{id}/content',
    request: {
      params: FileIdParams,
      query: ContentQuery,
      headers: rangeHeaders,
    },
    responses: {
      200: bytes('The whole file'),
      206: bytes('One byte range'),
      ...errors(401, 404, 416),
    },
  });
  route({
    method: 'post',
    path: '/api/files/instant',
    request: jsonBody(InstantUploadBody),
    responses: {
      200: json('The content exists: prove possession of this range', InstantChallenge),
      201: json('Proof accepted: the file is in the drive', FileResponse),
      ...errors(400, 401, 403, 404, 409, 413, 429),
    },
  });
  route({
    method: 'post',
    path: '/api/uploads',
    request: jsonBody(CreateUploadBody),
    responses: {
      201: json('A new or resumed upload', UploadCreated),
      200: json(
        'The content exists: use /api/files/instant (told only within the caller’s probe budget; beyond it, content that exists is uploaded like new content)',
        InstantAvailable,
      ),
      ...errors(400, 401, 404, 409, 413),
    },
  });
  route({
    method: 'put',
    path: '/api/uploads/{id}/chunks/{index}',
    request: {
      params: z.object({ id: UploadIdParams.shape.id, index: z.string() }),
      headers: z.object({
        'content-md5': ContentMd5.optional().openapi({
          description: 'base64 MD5 of the whole chunk; this or Upload-Checksum is required',
        }),
        'upload-checksum': z.string().optional().openapi({
          description:
            '"<crc32c|md5|sha1> <base64>" of the whole chunk (tus); 460 checksum_mismatch, 400 unsupported_checksum',
          example: 'crc32c 4waSgw==',
        }),
        'upload-offset': z.string().optional().openapi({
          description:
            'bytes of the chunk the server holds (GET partial); the body is the rest. 409 offset_mismatch with error.offset otherwise',
        }),
      }),
      body: {
        content: {
          'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
    },
    responses: {
      204: {
        description:
          'Chunk whole and verified. Two PUTs of one chunk take turns (on any replica); 409 chunk_busy (Retry-After) when another PUT still sends it after 30 s',
      },
      ...errors(400, 401, 404, 409, 460, 507),
    },
  });
  route({
    method: 'get',
    path: '/api/uploads/{id}',
    request: { params: UploadIdParams },
    responses: { 200: json('Progress', UploadStatus), ...errors(401, 404) },
  });
  route({
    method: 'post',
    path: '/api/uploads/{id}/complete',
    request: {
      params: UploadIdParams,
      body: {
        required: false,
        description: 'required with sha1 when init had none (400 sha1_required)',
        content: { 'application/json': { schema: CompleteUploadBody } },
      },
    },
    responses: {
      201: json('Verified and in the drive', FileResponse),
      ...errors(400, 401, 404, 409, 422, 507),
    },
  });
  route({
    method: 'get',
    path: '/api/files/{id}/versions',
    request: { params: FileIdParams },
    responses: {
      200: json('Earlier contents, newest first (not the current one)', ListVersionsResponse),
      ...errors(401, 404),
    },
  });
  route({
    method: 'post',
    path: '/api/files/{id}/versions/{versionId}/restore',
    request: { params: VersionParams },
    responses: {
      200: json('That content is current; the one it replaced is a version', FileResponse),
      ...errors(401, 404),
    },
  });
  route({
    method: 'get',
    path: '/api/files/{id}/versions/{versionId}/content',
    request: { params: VersionParams, query: ContentQuery, headers: rangeHeaders },
    responses: {
      200: bytes('The version’s bytes'),
      206: bytes('One byte range'),
      ...errors(401, 404, 416),
    },
  });
  route({
    method: 'delete',
    path: '/api/uploads/{id}',
    request: { params: UploadIdParams },
    responses: {
      204: { description: 'Cancelled: the upload and its chunks are gone' },
      ...errors(401, 404),
    },
  });
  route({
    method: 'post',
    path: '/api/files/archive',
    request: jsonBody(ArchiveBody),
    responses: {
      200: {
        description: 'The selection as a zip, streamed (folders keep their tree)',
        content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...errors(400, 401, 404),
    },
  });
  route({
    method: 'post',
    path: '/api/folders',
    request: jsonBody(CreateFolderBody),
    responses: { 201: json('Created', FolderResponse), ...errors(400, 401, 404) },
  });
  route({
    method: 'get',
    path: '/api/folders',
    request: { query: ListFoldersQuery },
    responses: {
      200: json('The children, by name', ListFoldersResponse),
      ...errors(400, 401, 404),
    },
  });
  route({
    method: 'get',
    path: '/api/folders/{id}',
    request: { params: FolderIdParams },
    responses: { 200: json('The folder and its breadcrumbs', FolderWithPath), ...errors(401, 404) },
  });
  route({
    method: 'patch',
    path: '/api/folders/{id}',
    request: { params: FolderIdParams, ...jsonBody(UpdateFolderBody) },
    responses: {
      200: json('Renamed and/or moved', FolderResponse),
      ...errors(400, 401, 404, 409),
    },
  });
  route({
    method: 'delete',
    path: '/api/folders/{id}',
    request: { params: FolderIdParams },
    responses: {
      204: { description: 'Moved to the trash with everything inside' },
      ...errors(401, 404, 409),
    },
  });
  route({
    method: 'get',
    path: '/api/trash',
    request: { query: ListTrashQuery },
    responses: { 200: json('The trash, newest first', ListTrashResponse), ...errors(400, 401) },
  });
  route({
    method: 'post',
    path: '/api/trash/{id}/restore',
    request: { params: TrashIdParams },
    responses: { 200: json('Back where it was', RestoredResponse), ...errors(401, 404) },
  });
  route({
    method: 'delete',
    path: '/api/trash/{id}',
    request: { params: TrashIdParams },
    responses: { 204: { description: 'Gone for good' }, ...errors(401, 404) },
  });
  route({
    method: 'delete',
    path: '/api/trash',
    responses: { 204: { description: 'The trash is empty' }, ...errors(401) },
  });
  route({
    method: 'post',
    path: '/api/shares',
    request: jsonBody(CreateShareBody),
    responses: { 201: json('A new link', ShareCreated), ...errors(400, 401, 404) },
  });
  route({
    method: 'get',
    path: '/api/shares',
    responses: { 200: json('The caller’s live links', ListSharesResponse), ...errors(401) },
  });
  route({
    method: 'delete',
    path: '/api/shares/{token}',
    request: { params: ShareTokenParams },
    responses: { 204: { description: 'Revoked, at once' }, ...errors(401, 404) },
  });
  route({
    method: 'post',
    path: '/api/shares/{token}/save',
    request: { params: ShareTokenParams, query: ShareCodeQuery, headers: shareCode },
    responses: {
      201: json('The shared file, now also in the caller’s root', FileResponse),
      ...errors(401, 403, 404, 410, 413, 429),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/public/shares/{token}',
    request: { params: ShareTokenParams, headers: shareCode },
    responses: {
      200: json('What the link shares', PublicShare),
      ...errors(401, 403, 404, 410, 429),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/public/shares/{token}/content',
    request: {
      params: ShareTokenParams,
      query: ShareCodeQuery,
      headers: shareCode.extend(rangeHeaders.shape),
    },
    responses: {
      200: bytes('The whole file'),
      206: bytes('One byte range'),
      ...errors(401, 403, 404, 410, 416, 429),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    responses: { 200: { description: 'Alive' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    responses: {
      200: { description: 'Database and storage reachable, DATA_DIR has room' },
      503: { description: 'Not ready (or DATA_DIR below MIN_FREE_DISK_BYTES free)' },
    },
  });
  return registry;
}

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  return new OpenApiGeneratorV31(buildRegistry().definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'filestore',
      version: '0.1.0',
      description: 'A self-hosted cloud drive. Errors are `{ error: { code, message } }`.',
    },
  });
}
