import { z } from './zod.ts';
import { ByteSize, FileName, Id, Sha1 } from './common.ts';
import { OnConflict } from './versions.ts';

export const FileItem = z
  .object({
    id: Id,
    name: z.string(),
    size: ByteSize,
    sha1: Sha1,
    folderId: Id.nullable().openapi({ description: 'null: the root of the drive' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('File');
export type FileItem = z.infer<typeof FileItem>;

export const FileResponse = z.object({ file: FileItem }).openapi('FileResponse');
export type FileResponse = z.infer<typeof FileResponse>;

export const FileIdParams = z.object({ id: Id });

export const FileSort = z.enum(['date', 'name', 'size']);
export type FileSort = z.infer<typeof FileSort>;
export const SortOrder = z.enum(['asc', 'desc']);
export type SortOrder = z.infer<typeof SortOrder>;

export const ListFilesQuery = z
  .object({
    q: z
      .string()
      .max(255)
      .normalize('NFC') // names are stored in NFC (common.ts)
      .optional()
      .openapi({ description: 'search by name across all folders (folderId is then ignored)' }),
    folderId: Id.optional().openapi({ description: 'the folder to list; absent: the root' }),
    sort: FileSort.default('date'),
    order: SortOrder.optional().openapi({
      description: 'default: desc for date and size, asc for name',
    }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(600)
      .optional()
      .openapi({ description: 'nextCursor of the previous page, with the same sort and order' }),
  })
  .openapi('ListFilesQuery');
export type ListFilesQuery = z.input<typeof ListFilesQuery>;

export const ListFilesResponse = z
  .object({ items: z.array(FileItem), nextCursor: z.string().nullable() })
  .openapi('ListFilesResponse');
export type ListFilesResponse = z.infer<typeof ListFilesResponse>;

/**
 * Rename and/or move: `folderId: null` moves to the root. A `name` taken there is 409 `name_taken`
 * (with `error.fileId`); a move alone gives a name taken there ` (1)`… A move keeps `updatedAt`.
 */
export const UpdateFileBody = z
  .object({ name: FileName.optional(), folderId: Id.nullable().optional() })
  .openapi('UpdateFileBody');
export type UpdateFileBody = z.infer<typeof UpdateFileBody>;

/** Where an upload lands (form upload: `POST /api/files?folderId=`); absent: the root. */
export const TargetFolder = z.object({ folderId: Id.optional() });
export type TargetFolder = z.infer<typeof TargetFolder>;

/** The form upload's query: `POST /api/files?folderId=&onConflict=`. */
export const FormUploadQuery = TargetFolder.extend({ onConflict: OnConflict.default('keep') });
export type FormUploadQuery = z.input<typeof FormUploadQuery>;

/** `GET /api/files/:id/content?disposition=inline` opens in the browser (the viewer). */
export const ContentQuery = z.object({
  disposition: z.enum(['attachment', 'inline']).default('attachment'),
});
export type ContentQuery = z.input<typeof ContentQuery>;

const MAX_ARCHIVE_ITEMS = 1000;

/** Multi-select download: the files and folders (recursively) as one streamed zip. */
export const ArchiveBody = z
  .object({
    fileIds: z.array(Id).max(MAX_ARCHIVE_ITEMS),
    folderIds: z.array(Id).max(MAX_ARCHIVE_ITEMS).optional(),
    /** The zip's download name; by default the one item's name, or `download.zip`. */
    name: FileName.optional(),
  })
  .refine(
    (body) => body.fileIds.length + (body.folderIds?.length ?? 0) > 0,
    'select at least one file or folder',
  )
  .openapi('ArchiveBody');
export type ArchiveBody = z.infer<typeof ArchiveBody>;

/**
 * Proof of possession: HMAC-SHA-256 keyed by the challenge's nonce (its text, UTF-8) over bytes
 * [offset, offset+length) of the content, with the challenge's token. Only someone holding the
 * bytes can compute it, even when the range is the whole (small) file.
 */
export const InstantProof = z.object({
  token: z.string().min(1).max(512),
  hmac: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')
    .openapi({ description: 'HMAC-SHA-256(key: nonce, data: the challenged range), hex' }),
});

export const InstantUploadBody = z
  .object({
    name: FileName,
    size: ByteSize,
    sha1: Sha1,
    folderId: Id.optional(),
    onConflict: OnConflict.default('keep'),
    proof: InstantProof.optional(),
  })
  .openapi('InstantUploadBody');
export type InstantUploadBody = z.input<typeof InstantUploadBody>;

export const InstantChallenge = z
  .object({
    challenge: z.object({
      offset: ByteSize,
      length: ByteSize,
      nonce: z.string().openapi({ description: 'fresh for every challenge; the HMAC key' }),
      token: z.string(),
    }),
  })
  .openapi('InstantChallenge');
export type InstantChallenge = z.infer<typeof InstantChallenge>;
