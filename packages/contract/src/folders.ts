import { z } from './zod.ts';
import { FileName, Id } from './common.ts';

/** A folder name follows the rules of a file name; it is unique among its siblings. */
export const Folder = z
  .object({
    id: Id,
    name: z.string(),
    parentId: Id.nullable().openapi({ description: 'null: a folder at the root' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Folder');
export type Folder = z.infer<typeof Folder>;

export const FolderResponse = z.object({ folder: Folder }).openapi('FolderResponse');
export type FolderResponse = z.infer<typeof FolderResponse>;

/** A folder and its breadcrumbs: from the root's child down to the folder itself. */
export const FolderWithPath = z
  .object({ folder: Folder, path: z.array(Folder) })
  .openapi('FolderWithPath');
export type FolderWithPath = z.infer<typeof FolderWithPath>;

export const FolderIdParams = z.object({ id: Id });

/** A folder at the root is at depth 1; creating or moving one deeper than 256 is 400 too_deep. */
export const MAX_FOLDER_DEPTH = 256;

export const CreateFolderBody = z
  .object({ name: FileName, parentId: Id.nullable().optional() })
  .openapi('CreateFolderBody');
export type CreateFolderBody = z.infer<typeof CreateFolderBody>;

export const ListFoldersQuery = z
  .object({ parentId: Id.optional().openapi({ description: 'absent: the root' }) })
  .openapi('ListFoldersQuery');
export type ListFoldersQuery = z.infer<typeof ListFoldersQuery>;

export const ListFoldersResponse = z
  .object({ items: z.array(Folder).openapi({ description: 'the children, by name' }) })
  .openapi('ListFoldersResponse');
export type ListFoldersResponse = z.infer<typeof ListFoldersResponse>;

/**
 * Rename and/or move: `parentId: null` moves to the root; into itself or below → 400
 * invalid_move; anything ending deeper than MAX_FOLDER_DEPTH → 400 too_deep. A `name` taken there
 * is 409 `name_taken` (with `error.folderId`); a move alone gives a name taken there ` (1)`…
 */
export const UpdateFolderBody = z
  .object({ name: FileName.optional(), parentId: Id.nullable().optional() })
  .openapi('UpdateFolderBody');
export type UpdateFolderBody = z.infer<typeof UpdateFolderBody>;
