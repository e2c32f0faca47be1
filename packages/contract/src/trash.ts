import { z } from './zod.ts';
import { ByteSize, Id } from './common.ts';
import { FileItem } from './files.ts';
import { Folder } from './folders.ts';

/**
 * A top-level item of the trash: a deleted file, or a deleted folder with everything that was in it
 * (its children are not listed separately). Trashed items count toward the quota until purged.
 */
export const TrashItem = z
  .object({
    id: Id.openapi({ description: 'the file or folder id it had (and keeps when restored)' }),
    kind: z.enum(['file', 'folder']),
    name: z.string(),
    size: ByteSize.openapi({ description: 'a folder: the bytes of every file inside' }),
    deletedAt: z.string().openapi({ format: 'date-time' }),
    originalPath: z.string().openapi({
      description: 'the folder it was deleted from, "/" for the root, e.g. "/Docs/2026"',
      example: '/Docs/2026',
    }),
  })
  .openapi('TrashItem');
export type TrashItem = z.infer<typeof TrashItem>;

export const ListTrashQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(600)
      .optional()
      .openapi({ description: 'nextCursor of the previous page' }),
  })
  .openapi('ListTrashQuery');
export type ListTrashQuery = z.input<typeof ListTrashQuery>;

export const ListTrashResponse = z
  .object({
    items: z.array(TrashItem).openapi({ description: 'newest deletion first' }),
    nextCursor: z.string().nullable(),
  })
  .openapi('ListTrashResponse');
export type ListTrashResponse = z.infer<typeof ListTrashResponse>;

export const TrashIdParams = z.object({ id: Id });

/** A restored item, back in its folder (the root when that folder is gone or in the trash). */
export const RestoredResponse = z
  .union([z.object({ file: FileItem }), z.object({ folder: Folder })])
  .openapi('RestoredResponse');
export type RestoredResponse = z.infer<typeof RestoredResponse>;
