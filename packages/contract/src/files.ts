import { z } from './zod.ts';
import { ByteSize, FileName, Id, Sha1 } from './common.ts';

export const FileItem = z
  .object({
    id: Id,
    name: z.string(),
    size: ByteSize,
    sha1: Sha1,
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('File');
export type FileItem = z.infer<typeof FileItem>;

export const FileResponse = z.object({ file: FileItem }).openapi('FileResponse');
export type FileResponse = z.infer<typeof FileResponse>;

export const FileIdParams = z.object({ id: Id });

export const ListFilesQuery = z
  .object({
    q: z.string().max(255).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .openapi('ListFilesQuery');
export type ListFilesQuery = z.input<typeof ListFilesQuery>;

export const ListFilesResponse = z
  .object({ items: z.array(FileItem), nextCursor: z.string().nullable() })
  .openapi('ListFilesResponse');
export type ListFilesResponse = z.infer<typeof ListFilesResponse>;

export const RenameFileBody = z.object({ name: FileName }).openapi('RenameFileBody');
export type RenameFileBody = z.infer<typeof RenameFileBody>;

/** Proof of possession: the SHA-1 of the challenged byte range, with the challenge's token. */
export const InstantProof = z.object({ token: z.string().min(1).max(512), sha1: Sha1 });

export const InstantUploadBody = z
  .object({ name: FileName, size: ByteSize, sha1: Sha1, proof: InstantProof.optional() })
  .openapi('InstantUploadBody');
export type InstantUploadBody = z.infer<typeof InstantUploadBody>;

export const InstantChallenge = z
  .object({
    challenge: z.object({
      offset: ByteSize,
      length: ByteSize,
      token: z.string(),
    }),
  })
  .openapi('InstantChallenge');
export type InstantChallenge = z.infer<typeof InstantChallenge>;
